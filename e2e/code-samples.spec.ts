import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

const LANGUAGES = ["curl", "JavaScript", "Python", "Go", "Java", "Ruby", "PHP", "C#"];

test.describe("code samples", () => {
  test("eight languages, highlighted on the server, in accessible tabs that remember the reader's choice", async ({ page, request }) => {
    // Highlighted in the HTML itself: no highlighting script, no sample built in the browser.
    const html = await (await request.get("/apis/pets/operations/create-pet")).text();
    expect(html).toMatch(/<span class="hl-s">/);
    expect(html).toContain('data-sample-key="quoted"');

    await page.goto("/apis/pets/operations/create-pet");
    const samples = page.getByRole("region", { name: "Code samples" });
    const tabs = samples.getByRole("tab");
    await expect(tabs).toHaveText(LANGUAGES);
    await expect(samples.getByRole("tabpanel")).toContainText("curl --request 'POST'");

    // WAI-ARIA keys: arrows wrap, Home and End jump.
    await tabs.first().focus();
    await page.keyboard.press("ArrowRight");
    await expect(samples.getByRole("tab", { name: "JavaScript" })).toBeFocused();
    await expect(samples.getByRole("tabpanel")).toContainText("await fetch(");
    await page.keyboard.press("End");
    await expect(samples.getByRole("tab", { name: "C#" })).toHaveAttribute("aria-selected", "true");
    await expect(samples.getByRole("tabpanel")).toContainText('Environment.GetEnvironmentVariable("API_KEY")');
    await page.keyboard.press("ArrowRight");
    await expect(samples.getByRole("tab", { name: "curl" })).toBeFocused();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect(samples.getByRole("tab", { name: "PHP" })).toHaveAttribute("aria-selected", "true");
    await expect(samples.getByRole("tabpanel")).toHaveAccessibleName("PHP");
    await expect(samples.getByRole("tabpanel")).toContainText('getenv("API_KEY")');

    // Chosen once, kept on the next page.
    await samples.getByRole("tab", { name: "Ruby" }).click();
    await page.goto("/apis/pets/operations/get-pet");
    await expect(samples.getByRole("tab", { name: "Ruby" })).toHaveAttribute("aria-selected", "true");
    await expect(samples.getByRole("tabpanel")).toContainText("Net::HTTP::Get.new(uri)");
  });

  test("copy copies the shown sample, and at 390 px the button covers no code and nothing overflows", async ({ page, context, baseURL }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/apis/pets/operations/create-pet");
    const samples = page.getByRole("region", { name: "Code samples" });
    await samples.getByRole("tab", { name: "Go" }).click();
    const code = samples.getByRole("tabpanel").locator("pre");
    const copy = samples.getByRole("button", { name: "Copy Go" });
    await expect(copy).toBeEnabled(); // once hydrated
    const [button, pre] = [(await copy.boundingBox())!, (await code.boundingBox())!];
    expect(button.y + button.height).toBeLessThanOrEqual(pre.y);
    await copy.click();
    // Its name is its live region: "Copied" for a moment.
    await expect(samples.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent());
    expect(await code.textContent()).toContain('req.Header.Set("x-api-key", os.Getenv("API_KEY"))');

    // The tab list scrolls sideways within the column; the page itself doesn't.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await samples.getByRole("tab", { name: "C#" }).click();
    await expect(samples.getByRole("tab", { name: "C#" })).toBeInViewport();
  });

  test("the highlighted samples pass axe in both themes", async ({ page }) => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/apis/pets/operations/create-pet");
      for (const language of ["curl", "Java"]) {
        await page.getByRole("region", { name: "Code samples" }).getByRole("tab", { name: language, exact: true }).click();
        const results = await new AxeBuilder({ page }).include('section[aria-labelledby="samples"]').analyze();
        expect(
          results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
          `${scheme}, ${language}`,
        ).toEqual([]);
      }
    }
  });
});
