import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { register } from "./support";

const TOKEN_SHAPE = /^ptk_[A-Za-z0-9_-]+\.[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/;

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

test("a team's token works on the team's keys, and docs' try-it calls with a team key", async ({ page, baseURL }) => {
  test.setTimeout(150_000);
  await register(page, "teamtok");
  const slug = `tt-${Date.now().toString(36)}`;
  // The team, its plan and key, set up through the portal's own API as the signed-in owner.
  const post = (url: string, data: unknown) => page.request.post(url, { data, headers: { origin: baseURL! } });
  expect((await post("/api/teams", { name: "Token Team", slug })).status()).toBe(201);
  expect((await post(`/api/subscriptions?team=${slug}`, { product: "free" })).status()).toBe(200);
  const key = await post(`/api/keys?team=${slug}`, { name: "team prod" });
  expect(key.status()).toBe(201);
  const keyId = ((await key.json()) as { key: { id: string } }).key.id;

  // The team page links its tokens; the token made there acts for the team.
  await page.goto(`/teams/${slug}`);
  await page.getByRole("link", { name: "Portal tokens" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}/tokens$`));
  await expect(page.getByRole("heading", { level: 1, name: "Portal tokens for Token Team" })).toBeVisible();
  await page.getByLabel("Token name").fill("team agent");
  await page.getByLabel("Manage keys and subscriptions").check();
  await page.getByRole("button", { name: "Create token" }).click();
  const fresh = page.getByRole("region", { name: "Token team agent created" });
  await expect(fresh).toBeVisible();
  const value = (await fresh.getByLabel("New token value").textContent())?.trim() ?? "";
  expect(value).toMatch(TOKEN_SHAPE);
  await expect(page.getByRole("listitem", { name: "Token team agent" })).toContainText("Made by");
  expect(await seriousViolations(page)).toEqual([]);

  const asToken = { authorization: `Bearer ${value}` };
  const me = await page.request.get("/api/v1/me", { headers: asToken });
  expect(await me.json()).toMatchObject({ team: { slug, role: "owner" } });
  const keys = (await (await page.request.get("/api/v1/keys", { headers: asToken })).json()) as { keys: { id: string }[] };
  expect(keys.keys.map((k) => k.id)).toEqual([keyId]);

  // In the docs, the team's key is offered under the team's name, and try-it calls with it.
  await page.goto("/apis/pets/operations/get-pet");
  const tryIt = page.getByRole("form", { name: "Try it" });
  const keySelect = tryIt.getByLabel("API key");
  await expect(keySelect.locator("optgroup[label='Team Token Team'] option")).toHaveText([/^team prod \(••••\w{4}\)$/]);
  await keySelect.selectOption(keyId);
  await tryIt.getByLabel(/petId/).fill("7");
  await tryIt.getByRole("button", { name: "Send GET request" }).click();
  const response = tryIt.getByTestId("try-it-response");
  await expect(response).toContainText("200 OK");
  await expect(response).toContainText("key “team prod”");

  // Revoked on the team's page, the token stops at once.
  await page.goto(`/teams/${slug}/tokens`);
  await page.getByRole("button", { name: "Revoke token team agent" }).click();
  await page.getByRole("button", { name: "Revoke token", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Token team agent revoked" })).toBeVisible();
  expect((await page.request.get("/api/v1/keys", { headers: asToken })).status()).toBe(401);
});
