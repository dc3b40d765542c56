import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { callApi, register, SANDBOX_URL } from "./support";

/** Runs a scheduled job in the sandbox now, with its clock set to `time`. */
async function runJob(job: "key-sweeper" | "reconciler", time: Date) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/scheduler/run`, { method: "POST", body: JSON.stringify({ job, time: time.toISOString().replace(/\.\d+Z$/, "Z") }) });
  expect(response.status).toBe(200);
  return (await response.json()) as { result: unknown };
}

async function newKeyValue(page: Page): Promise<string> {
  const value = (await page.getByLabel("New key value").textContent())?.trim() ?? "";
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  return value;
}

test("a developer's whole journey: key, subscribe, call, usage, rotate, switch, unsubscribe, delete account", async ({ page }) => {
  test.setTimeout(180_000);
  page.on("dialog", (dialog) => dialog.accept());
  const user = await register(page, "journey");
  const keys = page.getByRole("region", { name: "API keys" });

  // Create a key: its value is shown once, in full.
  await page.getByLabel("Key name").fill("journey app");
  await page.getByRole("button", { name: "Create key" }).click();
  const first = await newKeyValue(page);
  expect(await callApi("Pets API", first)).toBe(403);

  // Subscribe to Free: the key works on Pets, not on Weather.
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  for (let i = 0; i < 3; i++) expect(await callApi("Pets API", first)).toBe(200);
  expect(await callApi("Weather API", first)).toBe(403);

  // The usage chart shows those calls (a refresh is honoured every 10 s, so keep asking).
  const usage = page.getByRole("region", { name: "Usage" });
  const table = usage.locator("details").first();
  const today = table.locator("tbody tr").last().locator("td").last();
  await expect(async () => {
    await usage.getByRole("button", { name: "Refresh usage for Free" }).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
    if ((await table.getAttribute("open")) === null) await table.locator("summary").click();
    await expect(today).toHaveText("3", { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await expect(usage.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(usage.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "3");

  // Rotate with a one-hour grace period: both keys work until the sweeper runs after it.
  await keys.getByRole("button", { name: "Rotate key journey app" }).click();
  await page.getByLabel("1 hour").check();
  await page.getByRole("button", { name: "Rotate key", exact: true }).click();
  const second = await newKeyValue(page);
  expect(second).not.toBe(first);
  expect(await callApi("Pets API", first)).toBe(200);
  expect(await callApi("Pets API", second)).toBe(200);
  await runJob("key-sweeper", new Date(Date.now() + 30 * 60_000));
  expect(await callApi("Pets API", first)).toBe(200);
  await runJob("key-sweeper", new Date(Date.now() + 2 * 3_600_000));
  expect(await callApi("Pets API", first)).toBe(403);
  expect(await callApi("Pets API", second)).toBe(200);
  await page.reload();
  await expect(keys.getByRole("listitem")).toHaveCount(1);

  // Switch to Pro: the key moves, and Weather works too.
  await page.getByRole("button", { name: "Switch to Pro" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toHaveCount(0);
  expect(await callApi("Weather API", second)).toBe(200);

  // Unsubscribe: calls now fail.
  await page.getByRole("button", { name: "Unsubscribe from Pro" }).click();
  await expect(page.getByRole("button", { name: "Subscribe to Pro" })).toBeVisible();
  expect(await callApi("Pets API", second)).toBe(403);

  // The reconciler finds nothing to repair for this user.
  const report = (await runJob("reconciler", new Date())).result as { drift: { userId: string }[] };
  expect(report.drift).toEqual([]);

  // Delete the account: keys, rows, sessions and the sign-in account go.
  await page.getByLabel("Type your email to confirm").fill(user.email);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.getByLabel("Email or username").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/incorrect|not exist|invalid/i)).toBeVisible();
});

test("a busy dashboard is accessible in both themes and works at phone width", async ({ page }) => {
  test.setTimeout(90_000);
  await register(page, "axe");
  await page.getByLabel("Key name").fill("laptop");
  await page.getByRole("button", { name: "Create key" }).click();
  const value = await newKeyValue(page);
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await page.getByRole("button", { name: "Request access to Weather Basic" }).click();
  await expect(page.getByText("Waiting for approval by the API team")).toBeVisible();
  expect(await callApi("Pets API", value)).toBe(200);
  await page.reload();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole("button", { name: "Rotate key laptop" }).click();
    await expect(page.getByRole("region", { name: "Free" })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, scheme).toEqual([]);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  }
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);

  // The docs' code samples use the developer's own key: masked until revealed.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/apis/pets/operations/list-pets");
  const samples = page.getByRole("region", { name: "Code samples" });
  await expect(samples.getByLabel("Key in samples")).toHaveValue(/.+/);
  await expect(samples.locator("pre").first()).toContainText(`x-api-key: ••••••••${value.slice(-4)}`);
  expect(await samples.locator("pre").first().textContent()).not.toContain(value);
  await samples.getByRole("button", { name: "Reveal key" }).click();
  await expect(samples.locator("pre").first()).toContainText(`x-api-key: ${value}`);
  await samples.getByLabel("Key in samples").selectOption({ label: "$API_KEY from the environment" });
  await expect(samples.locator("pre").first()).toContainText("x-api-key: $API_KEY");
});
