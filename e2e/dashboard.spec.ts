import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { callApi, register, signIn, SANDBOX_URL, USERS } from "./support";

/** Runs a scheduled job in the sandbox now, with its clock set to `time`. */
async function runJob(job: "key-sweeper" | "reconciler", time: Date) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/scheduler/run`, {
    method: "POST",
    body: JSON.stringify({ job, time: time.toISOString().replace(/\.\d+Z$/, "Z") }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { result: unknown };
}

async function newKeyValue(page: Page): Promise<string> {
  const value = (await page.getByLabel("New key value").textContent())?.trim() ?? "";
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  return value;
}

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("heading", { name: `Key ${name} created` })).toBeVisible();
  return newKeyValue(page);
}

/** Opens the usage table of the page's first usage panel and waits until its last cell (today's total) reads `total`. */
async function expectTodaysTotal(page: Page, product: string, total: string) {
  const usage = page.getByRole("region", { name: "Usage" });
  const table = usage.locator("details").first();
  const today = table.locator("tbody tr").last().locator("td").last();
  // A refresh is honoured every 10 s, so keep asking.
  await expect(async () => {
    await usage.getByRole("button", { name: `Refresh usage for ${product}` }).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
    if ((await table.getAttribute("open")) === null) await table.locator("summary").click({ timeout: 5_000 });
    await expect(today).toHaveText(total, { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  return table;
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
    await usage.getByRole("button", { name: "Refresh usage for Free" }).click({ timeout: 5_000 });
    await expect(table).toBeVisible({ timeout: 2_000 });
    if ((await table.getAttribute("open")) === null) await table.locator("summary").click({ timeout: 5_000 });
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

  // Switch to Pro (confirmed): the key moves, and Weather works too.
  await page.getByRole("button", { name: "Switch to Pro…" }).click();
  await page.getByRole("dialog", { name: "Switch to Pro?" }).getByRole("button", { name: "Switch to Pro", exact: true }).click();
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
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, scheme).toEqual([]);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  }
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);

  // The docs' code samples use the developer's own key, in every language: masked until revealed.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/apis/pets/operations/list-pets");
  const samples = page.getByRole("region", { name: "Code samples" });
  const picker = page.getByLabel("Your API key");
  await expect(picker).toHaveValue(/.+/);
  await expect(samples.getByRole("tabpanel")).toContainText(`x-api-key: ••••••••${value.slice(-4)}`);
  expect(await samples.textContent()).not.toContain(value);
  // Copied while masked, a sample still runs: it reads $API_KEY. Revealed, it carries the key.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await samples.getByRole("button", { name: "Copy curl" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('x-api-key: $API_KEY"');
  expect(await page.evaluate(() => navigator.clipboard.readText())).not.toContain("••");
  await page.getByRole("button", { name: "Reveal key" }).click();
  await expect(samples.getByRole("tabpanel")).toContainText(`x-api-key: ${value}`);
  await expect(samples.getByRole("button", { name: "Copy curl" })).toBeVisible();
  await samples.getByRole("button", { name: "Copy curl" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(`x-api-key: ${value}`);
  await samples.getByRole("tab", { name: "Go" }).click();
  await expect(samples.getByRole("tabpanel")).toContainText(`req.Header.Set("x-api-key", "${value}")`);
  await picker.selectOption({ label: "$API_KEY from the environment" });
  await expect(samples.getByRole("tabpanel")).toContainText('req.Header.Set("x-api-key", os.Getenv("API_KEY"))');
});

test("rotate + revoke + sweep keeps the day's usage total, and names the keys that are gone", async ({ page }) => {
  test.setTimeout(150_000);
  page.on("dialog", (dialog) => dialog.accept());
  await register(page, "history");
  const laptop = await createKey(page, "laptop");
  const ci = await createKey(page, "ci");
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  // Twelve calls across the two keys, paced under Free's 2 requests/s per key.
  for (let i = 0; i < 6; i++) {
    expect(await callApi("Pets API", laptop)).toBe(200);
    expect(await callApi("Pets API", ci)).toBe(200);
    await page.waitForTimeout(300);
  }

  // Rotate laptop with an hour's grace: the old value and its replacement share the name, not the hint.
  const keys = page.getByRole("region", { name: "API keys" });
  await keys.getByRole("button", { name: "Rotate key laptop" }).click();
  await page.getByLabel("1 hour").check();
  await page.getByRole("button", { name: "Rotate key", exact: true }).click();
  const replacement = await newKeyValue(page);
  const retiring = keys.getByRole("listitem", { name: "Retiring laptop key" });
  await expect(retiring).toContainText(`replaced by ••••the key ending in ${replacement.slice(-4)}`);
  await expect(retiring.locator("code")).toContainText(laptop.slice(-4));
  await expect(keys.getByText("2 of 5 keys · 1 rotated key in its grace period doesn't count")).toBeVisible();

  // Revoke ci, and let the sweeper retire the old laptop value once its grace is over.
  await keys.getByRole("button", { name: "Revoke key ci" }).click();
  await expect(keys.getByRole("listitem", { name: "Key ci" })).toHaveCount(0);
  await runJob("key-sweeper", new Date(Date.now() + 2 * 3_600_000));
  expect(await callApi("Pets API", laptop)).toBe(403);
  await page.reload();
  await expect(keys.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByText("1 of 5 keys", { exact: true })).toBeVisible();

  // Today's total still counts all twelve calls, each gone key named by its name and hint.
  const table = await expectTodaysTotal(page, "Free", "12");
  await expect(table.getByRole("columnheader")).toHaveCount(5);
  for (const name of [
    `laptop ••••${replacement.slice(-4)}`,
    `laptop ••••${laptop.slice(-4)} (no longer active)`,
    `ci ••••${ci.slice(-4)} (no longer active)`,
    "Total",
  ]) {
    await expect(table.getByRole("columnheader", { name, exact: true })).toBeVisible();
  }
  const usage = page.getByRole("region", { name: "Usage" });
  await expect(usage.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "12");
  await expect(usage.getByText("Summed over your keys, including those no longer active; the quota applies to each key.")).toBeVisible();
});

test("renaming tells a rotated key's old value from its replacement, and a taken name changes nothing", async ({ page }) => {
  test.setTimeout(120_000);
  await register(page, "rename");
  await createKey(page, "laptop");
  await createKey(page, "ci");
  const keys = page.getByRole("region", { name: "API keys" });
  await keys.getByRole("button", { name: "Rotate key laptop" }).click();
  await page.getByLabel("1 hour").check();
  await page.getByRole("button", { name: "Rotate key", exact: true }).click();
  await newKeyValue(page);
  const counter = keys.getByText("2 of 5 keys · 1 rotated key in its grace period doesn't count");
  await expect(counter).toBeVisible();

  // Rename the retiring value: its name is prefilled and selected, so typing replaces it.
  await keys.getByRole("button", { name: "Rename retiring laptop key" }).click();
  const oldName = keys.getByRole("listitem", { name: "Retiring laptop key" }).getByLabel("New name for laptop");
  await expect(oldName).toBeFocused();
  await expect(oldName).toHaveValue("laptop");
  expect(await oldName.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([0, 6]);
  await page.keyboard.type("laptop old");
  await keys.getByRole("button", { name: "Save" }).click();
  await expect(keys.getByRole("listitem", { name: "Retiring laptop old key" })).toBeVisible();
  await expect(keys.getByRole("button", { name: "Rename retiring laptop old key" })).toBeFocused();
  await expect(keys.getByRole("listitem", { name: "Key laptop" })).toBeVisible();
  await expect(keys.getByRole("listitem")).toHaveCount(3);
  await expect(counter).toBeVisible();

  // Another active key's name (in any case) is refused with the server's message.
  const rename = keys.getByRole("button", { name: "Rename key laptop" });
  await rename.click();
  const laptop = keys.getByRole("listitem", { name: "Key laptop" });
  await laptop.getByLabel("New name for laptop").fill("CI");
  await laptop.getByRole("button", { name: "Save" }).click();
  await expect(laptop.getByRole("alert")).toHaveText('You already have a key named "CI".');
  await expect(laptop.getByLabel("New name for laptop")).toBeFocused();

  // Escape closes the form, focus goes back to Rename, and the names are as they were.
  await page.keyboard.press("Escape");
  await expect(laptop.getByLabel("New name for laptop")).toHaveCount(0);
  await expect(rename).toBeFocused();
  await page.reload();
  for (const name of ["Key laptop", "Key ci", "Retiring laptop old key"]) await expect(keys.getByRole("listitem", { name, exact: true })).toBeVisible();
  await expect(keys.getByRole("listitem")).toHaveCount(3);
  await expect(counter).toBeVisible();
});

test("a switch confirmation lists every plan that ends, and only its confirm button switches", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const user = await register(page, "confirm");
  const value = await createKey(page, "confirm app");
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await page.getByRole("button", { name: "Request access to Weather Basic" }).click();
  await expect(page.getByRole("button", { name: "Cancel request for Weather Basic" })).toBeVisible();

  // An admin approves Weather Basic: now Free and Weather Basic are both active.
  const adminContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, USERS.admin);
    await admin.goto("/admin/approvals");
    await admin
      .getByRole("form", { name: `Decide Weather Basic for ${user.email}` })
      .getByRole("button", { name: "Approve" })
      .click();
    await expect(admin.getByRole("status").filter({ hasText: `Approved Weather Basic for ${user.email}` })).toBeVisible();
  } finally {
    await adminContext.close();
  }
  await page.reload();
  await expect(page.getByRole("button", { name: "Unsubscribe from Weather Basic" })).toBeVisible();

  // Pro's card says what a switch ends; its button asks first, naming both plans.
  const plans = page.getByRole("region", { name: "Available plans" });
  await expect(plans.getByText("Ends Free and Weather Basic: your keys move to Pro, usually within a minute.")).toBeVisible();
  const open = plans.getByRole("button", { name: "Switch to Pro…" });
  const dialog = page.getByRole("dialog", { name: "Switch to Pro?" });
  await open.click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Switching to Pro ends Free and Weather Basic: your keys leave them and move to Pro.");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  const results = await new AxeBuilder({ page }).include("dialog[open]").analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Escape and Cancel both back out, with focus on the button again, and change nothing.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  await open.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  await page.reload();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Weather Basic" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toHaveCount(0);

  // Confirming ends both: Pro is active, and the key works on both APIs through it.
  await open.click();
  await dialog.getByRole("button", { name: "Switch to Pro", exact: true }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Unsubscribe from Weather Basic" })).toHaveCount(0);
  await expect(plans.getByRole("listitem").filter({ hasText: "Pets and Weather" })).toContainText("Subscribed");
  expect(await callApi("Pets API", value)).toBe(200);
  expect(await callApi("Weather API", value)).toBe(200);
});

test("a second click where Subscribe to Free was doesn't switch plans", async ({ page }) => {
  test.setTimeout(90_000);
  await register(page, "double");
  const subscribe = page.getByRole("button", { name: "Subscribe to Free" });
  await subscribe.scrollIntoViewIfNeeded();
  const box = (await subscribe.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.waitForTimeout(800);
  await page.mouse.click(x, y);
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();

  // Once the page has its new data, Free's card holds its place: under the pointer is its state, not another plan's button.
  const free = page.getByRole("region", { name: "Available plans" }).getByRole("listitem").filter({ hasText: "Try the Pets API" });
  await expect(free.getByText("Subscribed", { exact: true })).toBeVisible();
  expect(await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.closest("button, a")?.textContent ?? null, [x, y])).toBeNull();
  await page.mouse.click(x, y);
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Switch to Pro…" })).toBeVisible();
});

test("keys may expire: set at creation, moved to a date, removed; each key says when it was last used", async ({ page }) => {
  test.setTimeout(120_000);
  await register(page, "expiry");
  const keys = page.getByRole("region", { name: "API keys" });

  // Created to last 30 days: the row says when it stops.
  await page.getByLabel("Key name").fill("contractor");
  await page.getByLabel("Expires", { exact: true }).selectOption({ label: "In 30 days" });
  await page.getByRole("button", { name: "Create key" }).click();
  const value = await newKeyValue(page);
  const row = keys.getByRole("listitem", { name: "Key contractor" });
  await expect(row).toContainText("Expires in 30 days");
  await expect(row).toContainText("Not used yet");

  // Used: once the usage is read (the dashboard's view stores it), the row shows the day.
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  for (let i = 0; i < 2; i++) expect(await callApi("Pets API", value)).toBe(200);
  await expectTodaysTotal(page, "Free", "2");
  await page.reload();
  const today = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(new Date());
  await expect(row).toContainText(`Last used ${today}`);

  // Moved to a date (the key stops at 00:00 UTC that day), then removed.
  const date = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
  await row.getByRole("button", { name: "Change expiry of key contractor" }).click();
  await row.getByLabel("New expiry").selectOption({ label: "On a date…" });
  await row.getByLabel("Expiry date (UTC)").fill(date);
  await row.getByRole("button", { name: "Save expiry" }).click();
  await expect(row).toContainText(/Expires in 4[45] days/);
  await expect(row.getByRole("button", { name: "Change expiry of key contractor" })).toBeFocused();
  await row.getByRole("button", { name: "Change expiry of key contractor" }).click();
  await row.getByRole("button", { name: "Remove expiry" }).click();
  await expect(row.getByRole("button", { name: "Set expiry of key contractor" })).toBeVisible();
  await expect(row).not.toContainText("Expires");
  expect(await callApi("Pets API", value)).toBe(200);
});
