import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { callApi, register, signIn, USERS, viaAccountMenu } from "./support";

// Teams in the browser (issue #22): an owner makes a team and invites a colleague, who signs up
// through the invitation; both see the team's key and usage; the colleague (a member) can't revoke
// it; the owner removes them and rotates the key they saw, whose old value then stops working.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("an owner invites a colleague who signs up through the link; the member can't revoke; removal rotates what they saw", async ({ browser }) => {
  test.setTimeout(180_000);
  const slug = `acme-${Date.now().toString(36)}`;

  // The owner makes the team from the account menu's Teams page.
  const owner = await (await browser.newContext()).newPage();
  await register(owner, "owner");
  await viaAccountMenu(owner, "Teams");
  await expect(owner.getByRole("heading", { level: 1, name: "Teams" })).toBeVisible();
  await expect(owner.getByText("You're not in a team yet.")).toBeVisible();
  await owner.getByLabel("Team name").fill("Acme Inc.");
  await expect(owner.getByLabel("Slug")).toHaveValue("acme-inc");
  await owner.getByLabel("Slug").fill(slug);
  await owner.getByRole("button", { name: "Create team" }).click();
  await expect(owner).toHaveURL(new RegExp(`/teams/${slug}$`));
  await expect(owner.getByRole("heading", { level: 1, name: "Acme Inc." })).toBeVisible();
  await expect(owner.getByText(/These are the team's keys/)).toBeVisible();

  // The team subscribes and makes a key, as a person would on their dashboard.
  await owner.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(owner.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await owner.getByLabel("Key name").fill("production");
  await owner.getByRole("button", { name: "Create key" }).click();
  const value = (await owner.getByLabel("New key value").textContent())?.trim() ?? "";
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  expect(await callApi("Pets API", value)).toBe(200);

  // The invitation: emailed, and its link shown once, to copy as a fallback.
  const colleagueEmail = `colleague-${Date.now()}@example.com`;
  await owner.getByLabel("Email address").fill(colleagueEmail);
  await owner.getByLabel("Role", { exact: true }).selectOption("member");
  await owner.getByRole("button", { name: "Invite", exact: true }).click();
  const link = (await owner.getByLabel(`Invitation link for ${colleagueEmail}`).textContent())?.trim() ?? "";
  expect(link).toContain("/teams/join/open?token=");
  await expect(owner.getByRole("status").getByText(`We emailed the invitation to ${colleagueEmail}.`, { exact: false })).toBeVisible();
  const secret = new URL(link).searchParams.get("token")!.split(".")[2]!;
  await expect(owner.getByRole("listitem", { name: `Invitation for ${colleagueEmail}` })).toBeVisible();
  expect(await seriousViolations(owner)).toEqual([]);

  // The colleague opens it signed out, creates an account from the sign-in page, and lands back on it.
  const colleague = await (await browser.newContext()).newPage();
  // The link moves its token into a cookie: the sign-in page's address (and its callbackUrl) never carries it.
  await colleague.goto(new URL(link).pathname + new URL(link).search);
  await expect(colleague).toHaveURL(/\/signin\?callbackUrl=%2Fteams%2Fjoin$/);
  expect(colleague.url()).not.toContain(secret);
  await expect(colleague.getByText(`You're invited to join Acme Inc. as a member. Sign in with ${colleagueEmail} to accept`, { exact: false })).toBeVisible();
  await colleague.getByRole("link", { name: "Create an account" }).click();
  await colleague.getByLabel("Email").fill(colleagueEmail);
  await colleague.getByLabel("Full name").fill("Colleague Tester");
  await colleague.getByLabel("Password", { exact: true }).fill("Journey-pass-1");
  await colleague.getByLabel("Confirm password").fill("Journey-pass-1");
  await colleague.getByRole("button", { name: "Create account" }).click();
  await expect(colleague.getByRole("heading", { level: 1, name: "Join a team" })).toBeVisible();
  await expect(colleague.getByText(/invited to Acme Inc\. as member/)).toBeVisible();
  await colleague.getByRole("button", { name: "Join Acme Inc." }).click();
  await expect(colleague).toHaveURL(new RegExp(`/teams/${slug}$`));
  // Every page says whose keys it shows: the switcher marks the team, and "Your own" is the person's dashboard.
  const spaces = colleague.getByRole("navigation", { name: "Whose keys" });
  await expect(spaces.getByRole("link", { name: "Acme Inc." })).toHaveAttribute("aria-current", "page");
  await spaces.getByRole("link", { name: "Your own" }).click();
  await expect(colleague.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(colleague.getByRole("listitem", { name: "Key production" })).toBeHidden();
  await colleague.getByRole("navigation", { name: "Whose keys" }).getByRole("link", { name: "Acme Inc." }).click();
  await expect(colleague).toHaveURL(new RegExp(`/teams/${slug}$`));

  // Both see the team's key; the member may reveal it (audited) but has no way to revoke or rotate it.
  const key = colleague.getByRole("listitem", { name: "Key production" });
  await expect(key).toBeVisible();
  await expect(key.getByRole("button", { name: /Revoke/ })).toBeHidden();
  await expect(key.getByRole("button", { name: /Rotate/ })).toBeHidden();
  await expect(colleague.getByLabel("Key name")).toBeHidden();
  await key.getByRole("button", { name: "Reveal key production" }).click();
  await expect(key.getByLabel("Key value for production")).toHaveText(value);
  // The team's usage: the owner's one call so far (a refresh is honoured every 10 s, so keep asking).
  const usage = colleague.getByRole("region", { name: "Usage" });
  const table = usage.locator("details").first();
  await expect(async () => {
    await usage.getByRole("button", { name: "Refresh usage for Free" }).click({ timeout: 5_000 });
    await expect(table).toBeVisible({ timeout: 2_000 });
    if ((await table.getAttribute("open")) === null) await table.locator("summary").click({ timeout: 5_000 });
    await expect(table.locator("tbody tr").last().locator("td").last()).toHaveText("1", { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  // Members don't subscribe or unsubscribe the team.
  await expect(colleague.getByRole("button", { name: "Unsubscribe from Free" })).toBeHidden();
  // The server refuses what the page doesn't offer: a clear 403, nothing changed.
  const keyId = (await (await colleague.request.get(`/api/keys?team=${slug}`)).json()).keys[0].id as string;
  const refused = await colleague.request.delete(`/api/keys/${keyId}?team=${slug}`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toMatch(/As a member of Acme Inc\. you can't change the team's keys/);
  expect(await callApi("Pets API", value)).toBe(200);
  expect(await seriousViolations(colleague)).toEqual([]);

  // The owner removes them, rotating the key they saw: the new value works, the old one stops after the grace period.
  await owner.reload();
  const row = owner.getByRole("listitem", { name: "Member Colleague Tester" });
  await expect(row).toContainText("has seen 1 team key");
  await row.getByRole("button", { name: "Remove" }).click();
  const removal = owner.getByRole("group", { name: "Remove Colleague Tester" });
  await expect(removal.getByRole("checkbox")).toBeChecked();
  await expect(removal.getByRole("combobox")).toHaveValue("24h");
  await removal.getByRole("button", { name: "Remove Colleague Tester" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Removed Colleague Tester." })).toContainText("Rotated 1 key they saw");
  await expect(row).toBeHidden();
  await expect(owner.getByRole("listitem", { name: "Retiring production key" })).toBeVisible();
  await expect(owner.getByRole("listitem", { name: "Key production" })).toBeVisible();
  const fresh = owner.getByRole("listitem", { name: "Key production" });
  await fresh.getByRole("button", { name: "Reveal key production" }).click();
  const newValue = (await fresh.getByLabel("Key value for production").textContent())?.trim() ?? "";
  expect(newValue).not.toBe(value);
  expect(await callApi("Pets API", newValue)).toBe(200);

  // The colleague no longer reaches the team.
  expect((await colleague.request.get(`/api/keys?team=${slug}`)).status()).toBe(404);
  await colleague.goto(`/teams/${slug}`);
  await expect(colleague.getByRole("heading", { name: /not found/i })).toBeVisible();

  // An admin finds the team in the console and sees who is in it and what it holds.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.admin);
  await admin.goto("/admin/teams");
  await admin.getByRole("searchbox", { name: "Search" }).fill(slug);
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.getByText("1 team matches")).toBeVisible();
  await admin.getByRole("link", { name: "Acme Inc." }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Acme Inc." })).toBeVisible();
  const members = admin.getByRole("table", { name: "Members of Acme Inc." });
  await expect(members.getByRole("row")).toHaveCount(2); // header + the owner
  await expect(admin.getByRole("region", { name: "Recent activity" }).getByText("team.member-removed")).toBeVisible();
  expect(await seriousViolations(admin)).toEqual([]);
});
