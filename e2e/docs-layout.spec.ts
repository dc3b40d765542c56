import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { signIn, USERS } from "./support";

// The API reference's layout at a phone's width and a laptop's: where the samples and try-it sit,
// that nothing covers the code or overflows sideways, and axe in both themes. Each case attaches
// its screenshot to the report, for the eye.

const OPERATION = "/apis/pets/operations/create-pet";
const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1440, height: 700 };

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** The boxes of the visible code text in `root`'s code blocks, one per line fragment. */
async function codeTextBoxes(page: Page, root: string): Promise<Box[]> {
  return page.locator(root).evaluate((element) => {
    const boxes: Box[] = [];
    for (const pre of element.querySelectorAll("pre")) {
      if (!pre.checkVisibility()) continue;
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const clip = pre.getBoundingClientRect();
        for (const rect of range.getClientRects()) {
          // Only what shows: text scrolled out of the block's box can't be covered.
          const x = Math.max(rect.x, clip.x);
          const right = Math.min(rect.x + rect.width, clip.x + clip.width);
          if (right > x && rect.height > 0) boxes.push({ x, y: rect.y, width: right - x, height: rect.height });
        }
      }
    }
    return boxes;
  });
}

async function expectNothingCoversTheCode(page: Page) {
  const aside = page.getByRole("complementary", { name: "Code samples and try it" });
  const text = await codeTextBoxes(page, 'aside[aria-label="Code samples and try it"]');
  expect(text.length).toBeGreaterThan(0);
  const buttons = aside.getByRole("button", { name: /^Copy/ });
  const count = await buttons.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const button = buttons.nth(i);
    if (!(await button.isVisible())) continue;
    const box = (await button.boundingBox())!;
    const covered = text.filter((line) => intersects(box, line));
    expect(covered, `a copy button covers code text at ${JSON.stringify(box)}`).toEqual([]);
  }
}

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test("at 1440 px the samples and try-it sit beside the operation and stay in view", async ({ page }, testInfo) => {
      await page.setViewportSize(WIDE);
      await page.goto(OPERATION);
      await expect(page.locator("html")).toHaveCSS("color-scheme", theme);
      const article = (await page.locator("article").first().boundingBox())!;
      const aside = page.getByRole("complementary", { name: "Code samples and try it" });
      const side = (await aside.boundingBox())!;
      expect(side.x).toBeGreaterThanOrEqual(article.x + article.width);
      expect(side.y).toBeLessThan(article.y + 200);
      await expect(aside.getByRole("heading", { name: "Code samples" })).toBeInViewport();
      // The navigation is open beside it, with no fold to open.
      const nav = page.getByRole("navigation", { name: "Pets reference" });
      await expect(nav.getByRole("link", { name: "List pets" })).toBeVisible();
      await expect(nav.locator("summary").first()).toBeHidden();
      await expectNothingCoversTheCode(page);
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `operation-1440-${theme}`);

      // Scrolled down the operation, the column is still at the top of the window.
      await page.evaluate(() => window.scrollTo(0, 600));
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
      const stuck = (await aside.boundingBox())!;
      expect(stuck.y).toBeGreaterThanOrEqual(0);
      expect(stuck.y).toBeLessThan(40);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("at 390 px the page is one column, the code is not covered and nothing scrolls sideways", async ({ page }, testInfo) => {
      await page.setViewportSize(PHONE);
      await page.goto(OPERATION);
      await expect(page.locator("html")).toHaveCSS("color-scheme", theme);
      const article = (await page.locator("article").first().boundingBox())!;
      const side = (await page.getByRole("complementary", { name: "Code samples and try it" }).boundingBox())!;
      expect(side.y).toBeGreaterThanOrEqual(article.y + article.height);
      await page.getByRole("heading", { name: "Code samples" }).scrollIntoViewIfNeeded();
      await expectNothingCoversTheCode(page);
      await expectNoSidewaysScroll(page);
      // The reference's navigation is folded behind one line, and opens.
      const nav = page.getByRole("navigation", { name: "Pets reference" });
      await expect(nav.getByRole("link", { name: "List pets" })).toBeHidden();
      await nav.getByText("Pets reference").click();
      await expect(nav.getByRole("link", { name: "List pets" })).toBeVisible();
      // Search is in the header at this width too.
      await expect(page.getByRole("link", { name: "Search", exact: true })).toBeVisible();
      await attachScreenshot(page, testInfo, `operation-390-${theme}`);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("at 390 px the home page and an API's overview fit the screen, with no serious accessibility violations", async ({ page }) => {
      await page.setViewportSize(PHONE);
      for (const path of ["/", "/apis/pets"]) {
        await page.goto(path);
        await expectNoSidewaysScroll(page);
        expect(await seriousViolations(page)).toEqual([]);
      }
    });
  });
}

test("signed in, the column holds the key picker, the samples and try-it at both widths", async ({ page }, testInfo) => {
  await signIn(page, USERS.developer);
  for (const viewport of [WIDE, PHONE]) {
    await page.setViewportSize(viewport);
    await page.goto(OPERATION);
    const aside = page.getByRole("complementary", { name: "Code samples and try it" });
    await expect(aside.getByRole("heading", { name: "Try it" })).toBeVisible();
    await expect(aside.getByRole("button", { name: /send/i })).toBeVisible();
    await expectNothingCoversTheCode(page);
    await expectNoSidewaysScroll(page);
    await attachScreenshot(page, testInfo, `operation-signed-in-${viewport.width}`);
    expect(await seriousViolations(page)).toEqual([]);
  }
});
