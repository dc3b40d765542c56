import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";

// The header search on both kinds of page: the App Router's (home) and the docs documents' (an
// operation page, Preact with the islands script). Labels come from lib/search (tests/search).

const OPERATION = "/apis/pets/operations/create-pet";

const box = (page: Page) => page.locator("#header-search");
const results = (page: Page) => page.getByRole("listbox", { name: "Search results" });

/** Presses a shortcut until the page's script is listening (hydration), then the box has focus. */
async function focusWith(page: Page, key: string) {
  await expect(async () => {
    await page.keyboard.press(key);
    await expect(box(page)).toBeFocused({ timeout: 300 });
  }).toPass({ timeout: 10_000 });
}

/** Each option's label line says each thing once ("API", "GET /pets · Pets", never "API · API"). */
async function expectReadableLabels(options: Locator) {
  const count = await options.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const lines = await options.nth(i).locator("span").allTextContents();
    const label = lines[1];
    if (!label) continue; // "All results for …"
    const parts = label.split(" · ");
    expect(new Set(parts).size, label).toBe(parts.length);
    expect(lines[2] ?? "", lines[0]).not.toBe(lines[0]);
  }
}

/** The label line of each option. */
const labels = (options: Locator) => options.locator("span:nth-child(2)").allTextContents();

/** axe on the header, where the box and its open results are (the pages themselves have their own checks). */
async function seriousViolations(page: Page) {
  const found = await new AxeBuilder({ page }).include("header").analyze();
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const [where, path] of [
  ["an App Router page", "/"],
  ["an operation page", OPERATION],
] as const) {
  test.describe(`on ${where}`, () => {
    test("/ focuses the search box, typing lists results, Escape closes them", async ({ page }) => {
      await page.goto(path);
      await expect(box(page)).toHaveAttribute("aria-keyshortcuts", /\//);
      await focusWith(page, "/");
      await box(page).pressSequentially("pets");
      await expect(results(page)).toBeVisible();
      await expect(box(page)).toHaveAttribute("aria-expanded", "true");
      const options = results(page).getByRole("option");
      // The sandbox's API is named "Pets": an operation says method, path and API once; an API just "API".
      await expect.poll(() => labels(options)).toEqual(expect.arrayContaining(["GET /pets · Pets", "API"]));
      await expectReadableLabels(options);
      expect(await seriousViolations(page)).toEqual([]);

      await page.keyboard.press("Escape");
      await expect(results(page)).toBeHidden();
      await expect(box(page)).toHaveAttribute("aria-expanded", "false");
      await expect(box(page)).toBeFocused();
    });

    test("Ctrl-K focuses the box and the arrows choose a result", async ({ page }) => {
      await page.goto(path);
      await focusWith(page, "Control+k");
      await box(page).pressSequentially("forecast");
      await expect(results(page).getByRole("option").first()).toBeVisible();
      await page.keyboard.press("ArrowDown");
      const first = results(page).getByRole("option").first();
      await expect(first).toHaveAttribute("aria-selected", "true");
      await expect(box(page)).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/\/apis\/weather/);
    });
  });
}

test("/ in another input types a slash", async ({ page }) => {
  await page.goto("/search");
  const other = page.getByLabel("Search APIs, operations and guides");
  await other.click();
  await page.keyboard.press("/");
  await expect(other).toBeFocused();
  await expect(other).toHaveValue("/");
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 800 } });

  for (const path of ["/", OPERATION]) {
    test(`search is reachable from the header of ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(box(page)).toBeHidden();
      const open = page.getByRole("link", { name: "Search", exact: true });
      await expect(open).toBeVisible();
      await expect(async () => {
        await open.click();
        await expect(box(page)).toBeFocused({ timeout: 300 });
      }).toPass({ timeout: 10_000 });
      await box(page).pressSequentially("pets");
      const options = results(page).getByRole("option");
      await expect(options.first()).toBeVisible();
      await expectReadableLabels(options);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
      await expect.poll(() => labels(options)).toContain("GET /pets · Pets");
      await options.filter({ has: page.getByText("GET /pets · Pets", { exact: true }) }).click();
      await expect(page).toHaveURL(/\/apis\/pets\/operations\//);
    });
  }

  test("/ opens the box too", async ({ page }) => {
    await page.goto(OPERATION);
    await focusWith(page, "/");
    await expect(box(page)).toBeVisible();
  });
});

test("the results endpoint answers quickly (printed, not asserted)", async ({ request }) => {
  await request.get("/api/search?q=pets"); // builds the index
  const times: number[] = [];
  for (const q of ["pet", "pets", "list", "forecast", "quota", "create pet", "weather", "errors", "plan", "key"]) {
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const response = await request.get(`/api/search?q=${encodeURIComponent(q)}&limit=8`);
      expect(response.ok()).toBe(true);
      await response.json();
      times.push(Date.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`GET /api/search over HTTP, ${times.length} requests: p50 ${times[times.length >> 1]} ms, p95 ${times[Math.floor(times.length * 0.95)]} ms`);
});
