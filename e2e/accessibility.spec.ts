import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test("the home page has no serious accessibility violations", async ({ page }) => {
      await page.goto("/");
      await expect(page.locator("html")).toHaveCSS("color-scheme", theme);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("the page I return to after signing in has no serious accessibility violations", async ({ page }) => {
      await signIn(page, USERS.developer, "/signin?callbackUrl=%2Fdashboard");
      await expect(page).toHaveURL(/\/dashboard$/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel(/Account menu/).click();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test("an API operation page has no serious accessibility violations", async ({ page }) => {
      await page.goto("/apis/pets/operations/create-pet");
      await expect(page.locator("html")).toHaveCSS("color-scheme", theme);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test(`the sign-in page has no serious accessibility violations`, async ({ page }) => {
      await page.goto("/signin?error=OAuthCallbackError");
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test("the skip link moves focus to the content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();
});

test("the header works at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await expect(page.getByRole("navigation", { name: "Main", exact: true })).toBeHidden();
  await page.getByLabel("Menu").click();
  await page.getByRole("navigation", { name: "Main (mobile)" }).getByRole("link", { name: "APIs" }).click();
  await expect(page).toHaveURL(/\/apis$/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
});
