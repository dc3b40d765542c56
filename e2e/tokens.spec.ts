import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { register, signIn, USERS, viaAccountMenu } from "./support";

const TOKEN_SHAPE = /^ptk_[A-Za-z0-9_-]+\.[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/;

async function seriousViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Creates a token on /dashboard/tokens and answers its value, read from the one-time panel. */
async function createToken(page: Page, name: string, scopes: ("Manage keys and subscriptions" | "Call APIs")[] = []): Promise<string> {
  await page.getByLabel("Token name").fill(name);
  for (const scope of scopes) await page.getByLabel(scope).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const reveal = page.getByRole("region", { name: `Token ${name} created` });
  await expect(reveal).toBeVisible();
  const value = (await reveal.getByLabel("New token value").textContent())?.trim() ?? "";
  expect(value).toMatch(TOKEN_SHAPE);
  return value;
}

test("a developer creates a portal token, sees it once, uses it and revokes it", async ({ page, context, request }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);

  // Signed out, the page sends you to sign in.
  const anonymous = await request.get("/dashboard/tokens", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(307);
  expect(anonymous.headers().location).toContain("/signin");

  // The account menu links the page.
  await signIn(page, USERS.developer);
  await viaAccountMenu(page, "Portal tokens");
  await expect(page).toHaveURL(/\/dashboard\/tokens$/);
  await expect(page.getByRole("heading", { level: 1, name: "Portal tokens" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Developer API reference" })).toHaveAttribute("href", "/apis/developer-api");

  const list = page.getByRole("region", { name: "Your tokens" });
  const count = page.getByTestId("token-count");
  const before = Number(/^(\d+) of 10 tokens/.exec((await count.textContent()) ?? "")?.[1]);
  expect(before).toBeLessThan(10);

  // Read is always on; expiry defaults to 30 days.
  await expect(page.getByLabel(/^Read/)).toBeChecked();
  await expect(page.getByLabel(/^Read/)).toBeDisabled();
  await expect(page.getByLabel("Expires after")).toHaveValue("30");

  // The server's message shows when it refuses a name.
  await page.getByLabel("Token name").fill("no <tags>");
  await page.getByRole("button", { name: "Create token" }).click();
  const form = page.getByRole("form", { name: "Create a token" });
  await expect(form.getByRole("alert")).toContainText("Use letters, digits, spaces and");

  const name = `ci-agent ${Date.now().toString(36)}`;
  const value = await createToken(page, name, ["Manage keys and subscriptions"]);
  const reveal = page.getByRole("region", { name: `Token ${name} created` });
  await expect(reveal.getByRole("heading", { name: `Token ${name} created` })).toBeFocused();
  await expect(reveal).toContainText("You won't see this token again");
  await expect(page.getByRole("status").filter({ hasText: `Token ${name} created` })).toBeAttached();
  await expect(form.getByRole("alert")).toHaveCount(0);

  // Copy puts the exact value on the clipboard.
  await reveal.getByRole("button", { name: "Copy token" }).click();
  await expect(reveal.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

  // Listed with its scopes, never used; the count went up.
  const row = list.getByRole("listitem", { name: `Token ${name}` });
  await expect(row).toContainText("Never used");
  await expect(row.getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["read", "manage"]);
  await expect(count).toHaveText(new RegExp(`^${before + 1} of 10 tokens`));

  // Accessible in both themes, with the value showing.
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });

  // Done hides it; after a reload the value is nowhere on the page.
  await reveal.getByRole("button", { name: "Done, hide the token" }).click();
  await expect(reveal).toBeHidden();
  await page.reload();
  await expect(row).toContainText("Never used");
  await expect(page.getByLabel("New token value")).toHaveCount(0);
  const secret = value.split(".").at(-1)!;
  expect(await page.content()).not.toContain(secret);

  // A script uses it, with no session: the consumer API knows who it speaks for.
  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(me.status()).toBe(200);
  const body = (await me.json()) as { user: { email: string }; token: { name: string; scopes: string[] } };
  expect(body.user.email).toBe(USERS.developer.email);
  expect(body.token).toMatchObject({ name, scopes: ["read", "manage"] });
  await page.reload();
  await expect(row).toContainText(/Last used .+ UTC/);

  // Revoking asks first: Cancel backs out, with focus back on the button.
  const revoke = row.getByRole("button", { name: `Revoke token ${name}` });
  const dialog = page.getByRole("dialog", { name: `Revoke token ${name}?` });
  await revoke.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  expect(await seriousViolations(page, "dialog[open]")).toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(revoke).toBeFocused();
  await expect(row).toBeVisible();

  await revoke.click();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  const status = page.getByRole("status").filter({ hasText: `Token ${name} revoked` });
  await expect(status).toBeVisible();
  await expect(status).toBeFocused();
  await expect(row).toHaveCount(0);
  await expect(count).toHaveText(new RegExp(`^${before} of 10 tokens`));

  const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${value}` } });
  expect(after.status()).toBe(401);
  await page.reload();
  await expect(list.getByRole("listitem", { name: `Token ${name}` })).toHaveCount(0);
});

test("an admin revokes a developer's portal tokens from the user's page", async ({ browser }) => {
  test.setTimeout(120_000);
  const developerContext = await browser.newContext();
  const developer = await developerContext.newPage();
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  try {
    // A new developer starts with none, then makes two.
    const user = await register(developer, "tokens");
    await developer.goto("/dashboard/tokens");
    await expect(developer.getByText("No tokens yet")).toBeVisible();
    await expect(developer.getByTestId("token-count")).toHaveText("0 of 10 tokens");
    await createToken(developer, "laptop agent", ["Call APIs"]);
    await createToken(developer, "nightly job");
    await expect(developer.getByRole("region", { name: "Your tokens" }).getByRole("listitem", { name: /^Token / })).toHaveCount(2);

    // The admin finds them on the user's page: names and scopes, never a value.
    await signIn(admin, USERS.admin);
    await admin.goto(`/admin/users?q=${encodeURIComponent(user.email)}`);
    await admin.getByRole("link", { name: user.email }).click();
    await expect(admin.getByRole("heading", { level: 1, name: user.email })).toBeVisible();
    // The section (the table's scrolling region inside it has the same name).
    const tokens = admin.getByRole("region", { name: "Portal tokens" }).first();
    const laptop = tokens.getByRole("row", { name: /laptop agent/ });
    await expect(laptop).toContainText("call");
    await expect(laptop).toContainText("Never used");
    await expect(tokens.getByRole("row", { name: /nightly job/ })).toBeVisible();
    expect(await admin.content()).not.toContain("ptk_");
    expect(await seriousViolations(admin)).toEqual([]);

    // Revoke one (asks first).
    await laptop.getByRole("button", { name: `Revoke ${user.email}'s token laptop agent` }).click();
    const dialog = admin.getByRole("dialog", { name: `Revoke ${user.email}'s token laptop agent?` });
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(admin.getByRole("status").filter({ hasText: `Revoked ${user.email}'s token laptop agent` })).toBeFocused();
    await expect(laptop).toHaveCount(0);

    // The developer sees it gone.
    await developer.reload();
    const list = developer.getByRole("region", { name: "Your tokens" });
    await expect(list.getByRole("listitem", { name: "Token laptop agent" })).toHaveCount(0);
    await expect(list.getByRole("listitem", { name: "Token nightly job" })).toBeVisible();

    // Revoke all, after confirming.
    await admin.getByRole("button", { name: `Revoke all of ${user.email}'s portal tokens` }).click();
    await admin
      .getByRole("dialog", { name: `Revoke all of ${user.email}'s portal tokens?` })
      .getByRole("button", { name: "Revoke all tokens" })
      .click();
    await expect(admin.getByRole("status").filter({ hasText: `Revoked 1 portal token of ${user.email}` })).toBeVisible();
    await expect(admin.getByText("No portal tokens")).toBeVisible();

    // The audit log has each step.
    await admin.reload();
    const activity = admin.getByRole("table", { name: `Recent activity of ${user.email}` });
    await expect(activity).toContainText("token.revoked-all");
    await expect(activity).toContainText("token.revoked");
    await expect(activity).toContainText("token.created");

    await developer.reload();
    await expect(developer.getByText("No tokens yet")).toBeVisible();
  } finally {
    await developerContext.close();
    await adminContext.close();
  }
});
