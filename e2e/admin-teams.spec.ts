import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { callApi, register, signIn, USERS } from "./support";

// Admins acting on a team (issue #22): found by its slug, disabled (its key stops, its members see
// why and can change nothing) and enabled again, handed to someone registered, read on a phone,
// and deleted with its slug typed to confirm.

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function confirmIn(page: Page, trigger: string, confirm: string) {
  await page.getByRole("button", { name: trigger, exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** API Gateway applies key changes within seconds, not at once (the sandbox delays them as AWS does). */
const eventually = (key: string, status: number) => expect.poll(() => callApi("Pets API", key), { timeout: 90_000, intervals: [1_000] }).toBe(status);

test("an admin disables and enables a team, hands it to someone, reads it on a phone and deletes it", async ({ browser }) => {
  test.setTimeout(300_000);
  const slug = `admteam-${Date.now().toString(36)}`;
  const keyName = "billing-service-production-eu-west";

  // A team with a plan and a key in use, and a newcomer who will be made its owner.
  const owner = await (await browser.newContext()).newPage();
  await register(owner, "teamowner");
  const made = await owner.request.post("/api/teams", { data: { name: "Admin Journey Co.", slug } });
  expect(made.status()).toBe(201);
  const teamId = ((await made.json()) as { team: { id: string } }).team.id;
  expect((await owner.request.post(`/api/subscriptions?team=${slug}`, { data: { product: "free" } })).status()).toBe(200);
  const key = await owner.request.post(`/api/keys?team=${slug}`, { data: { name: keyName } });
  expect(key.status()).toBe(201);
  const { value } = (await key.json()) as { value: string };
  await eventually(value, 200);
  const newcomer = await (await browser.newContext()).newPage();
  const heir = await register(newcomer, "heir");
  // The team's page reads its usage, which the admin pages then show.
  await owner.goto(`/teams/${slug}`);
  await expect(owner.getByRole("heading", { level: 1, name: "Admin Journey Co." })).toBeVisible();
  await expect(owner.getByText("Loading usage…")).toHaveCount(0, { timeout: 30_000 });

  // The admin finds the team; its page is addressed by slug, and its id still works.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, USERS.admin);
  await admin.goto(`/admin/teams?q=${slug}`);
  await admin.getByRole("link", { name: "Admin Journey Co." }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/teams/${slug}$`));
  await expect(admin.getByRole("heading", { level: 1, name: "Admin Journey Co." })).toBeVisible();
  await admin.goto(`/admin/teams/${teamId}`);
  await expect(admin.getByRole("heading", { level: 1, name: "Admin Journey Co." })).toBeVisible();
  expect(await seriousViolations(admin)).toEqual([]);

  // Disable: the key stops, the page says so, and the team's own page shows why to its members.
  await confirmIn(admin, "Disable team", "Disable team");
  await expect(admin.getByRole("status").filter({ hasText: "Admin Journey Co. is disabled" })).toBeVisible();
  await expect(admin.getByText("An administrator disabled this team")).toBeVisible();
  await expect(admin.getByRole("button", { name: "Enable team", exact: true })).toBeVisible();
  await eventually(value, 403);
  await owner.reload();
  await expect(owner.getByTestId("team-disabled")).toContainText("This team has been disabled by an administrator");
  await expect(owner.getByRole("button", { name: "Create key" })).toHaveCount(0);
  const refused = await owner.request.post(`/api/keys?team=${slug}`, { data: { name: "sneaky" } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/disabled by an administrator/);
  expect(await seriousViolations(owner)).toEqual([]);
  await admin.goto("/admin/teams");
  await expect(admin.getByRole("row").filter({ hasText: slug })).toContainText("Disabled");
  await admin.goto(`/admin/teams/${slug}`);

  // Enable again: the key works, the members can act.
  await confirmIn(admin, "Enable team", "Enable team");
  await expect(admin.getByRole("status").filter({ hasText: "Admin Journey Co. is enabled again" })).toBeVisible();
  await eventually(value, 200);
  await owner.reload();
  await expect(owner.getByTestId("team-disabled")).toHaveCount(0);

  // Hand-over to someone outside the team, by email.
  await admin.getByLabel("New owner").selectOption({ label: "Someone else, by email address…" });
  await admin.getByLabel("Email address of their account").fill(heir.email);
  await confirmIn(admin, "Make owner…", "Make owner");
  await expect(admin.getByRole("status").filter({ hasText: `${heir.email} is now an owner of Admin Journey Co.` })).toBeVisible();
  const members = admin.getByRole("table", { name: "Members of Admin Journey Co." });
  await expect(members.getByRole("row").filter({ hasText: heir.email })).toContainText("owner");
  await newcomer.goto(`/teams/${slug}`);
  await expect(newcomer.getByText(/Your role:/)).toContainText("Owner");
  // A wrong email is refused with the reason, next to the form.
  await admin.getByLabel("Email address of their account").fill("no-one-registered@example.com");
  await confirmIn(admin, "Make owner…", "Make owner");
  await expect(admin.getByRole("alert").filter({ hasText: "No one has registered with no-one-registered@example.com" })).toBeVisible();

  // On a phone the usage table keeps the plan in view and room for the key's name.
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.reload();
  const usage = admin.getByRole("region", { name: "Usage summary" });
  await usage.scrollIntoViewIfNeeded();
  const keyCell = usage.getByRole("cell").filter({ hasText: keyName }).first();
  await expect(keyCell).toBeVisible();
  expect((await keyCell.boundingBox())!.width).toBeGreaterThanOrEqual(170);
  expect(await usage.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  const planCell = usage.getByRole("rowheader").first();
  expect(await planCell.evaluate((el) => getComputedStyle(el).position)).toBe("sticky");
  const before = (await planCell.boundingBox())!.x;
  await usage.evaluate((el) => el.scrollBy({ left: 200 }));
  await expect.poll(async () => (await planCell.boundingBox())!.x).toBe(before);
  expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(admin)).toEqual([]);
  await admin.setViewportSize({ width: 1280, height: 800 });

  // Delete: the slug typed to confirm; the key stops and the team is gone for its members.
  await admin.getByRole("button", { name: "Delete team…", exact: true }).click();
  const dialog = admin.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete team", exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${slug} to confirm`).fill(slug);
  await confirm.click();
  await expect(admin).toHaveURL(new RegExp(`/admin/teams\\?deleted=${slug}$`));
  await expect(admin.getByRole("status").filter({ hasText: `Deleted the team ${slug}` })).toBeVisible();
  await eventually(value, 403);
  await owner.goto(`/teams/${slug}`);
  await expect(owner.getByRole("heading", { name: /not found/i })).toBeVisible();
  expect((await admin.request.get(`/api/admin/teams/${teamId}`)).status()).toBe(404);
  // The audit log names the team and the admin for each step.
  await admin.goto(`/admin/audit?user=${teamId}`);
  for (const type of ["team.disabled", "team.enabled", "team.owner-appointed", "team.deleted"])
    await expect(admin.getByRole("row").filter({ hasText: type })).toContainText(USERS.admin.email);
});
