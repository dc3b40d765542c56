import { expect, test } from "@playwright/test";

test("the home page renders the owner's markdown and branding without errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  // From catalog/home.md and catalog/portal.yaml.
  await expect(page.getByRole("heading", { level: 1, name: "Build with the Portico Demo APIs" })).toBeVisible();
  await expect(page.getByRole("banner").getByText("Portico Demo")).toBeVisible();
  await expect(page).toHaveTitle("Portico Demo");
  await expect(page.getByRole("contentinfo")).toContainText("Powered by Portico");
  expect(errors).toEqual([]);
});
