import { expect, test } from "@playwright/test";

test("the home page renders without errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Portico" })).toBeVisible();
  await expect(page).toHaveTitle("Portico");
  expect(errors).toEqual([]);
});
