import { expect, test, type APIResponse } from "@playwright/test";
import { KEY_CHANGES_PER_USER } from "./limits";
import { register, snapshotState } from "./support";

/**
 * The portal's own rate limits, as a person meets them: past the per-user limit on key changes
 * (e2e/limits.ts: KEY_CHANGES_PER_USER a day, so the wait is minutes), the dashboard says how long to
 * wait, the API answers 429 with Retry-After, and the refused change changes nothing.
 */
const LIMITED = /^Too many key changes in a short time\. Please wait about \d+ minutes and try again\.$/;

test("a developer past the key-change limit is told how long to wait, and the refused change changes nothing", async ({ page }) => {
  test.setTimeout(120_000);
  await register(page, "limited");
  const keys = page.getByRole("region", { name: "API keys" });

  // One key, made the ordinary way.
  await page.getByLabel("Key name").fill("first app");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("heading", { name: "Key first app created" })).toBeVisible();

  // The rest of the day's key changes, spent quickly: renaming a key that isn't there counts (the
  // limit is checked before anything else) and changes nothing. A 429 with a short Retry-After is
  // a token refilling meanwhile; the next change takes it.
  let refused: APIResponse | undefined;
  for (let i = 0; i < KEY_CHANGES_PER_USER + 20 && !refused; i++) {
    const response = await page.request.patch("/api/keys/AAAA", { data: { name: "nothing" } });
    if (response.status() === 429 && Number(response.headers()["retry-after"]) >= 60) refused = response;
    else expect([404, 429], `change ${i + 2}`).toContain(response.status());
  }
  expect(refused, `no 429 after ${KEY_CHANGES_PER_USER + 20} key changes`).toBeDefined();
  const retryAfter = Number(refused!.headers()["retry-after"]);
  expect(await refused!.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(LIMITED), retryAfterSeconds: retryAfter } });

  // Reads are never limited.
  const listed = await page.request.get("/api/keys");
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { keys: { name: string }[] }).keys.map((k) => k.name)).toEqual(["first app"]);

  // In the dashboard: the limit's message next to the form, and nothing made.
  const before = await snapshotState();
  await page.getByLabel("Key name").fill("second app");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(keys.getByRole("alert")).toHaveText(LIMITED);
  await expect(page.getByRole("heading", { name: "Key second app created" })).toHaveCount(0);
  expect(await snapshotState()).toEqual(before);
  await page.reload();
  await expect(keys.getByRole("listitem", { name: "Key first app" })).toBeVisible();
  await expect(keys.getByRole("listitem")).toHaveCount(1);
});
