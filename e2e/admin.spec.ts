import { expect, test, type Page } from "@playwright/test";
import { callApi, register, SANDBOX_URL, signIn, USERS } from "./support";

/** The invitation Cognito (the sandbox) e-mailed to `email`: its temporary password. */
async function temporaryPassword(email: string): Promise<string> {
  const { messages } = (await (await fetch(`${SANDBOX_URL}/_sandbox/cognito/messages`)).json()) as {
    messages: { source?: string; destination: string; temporaryPassword?: string }[];
  };
  const invite = messages.filter((m) => m.source === "AdminCreateUser" && m.destination === email).at(-1);
  expect(invite?.temporaryPassword, `an invitation for ${email}`).toBeTruthy();
  return invite!.temporaryPassword!;
}

async function setRegistration(admin: Page, mode: "Open" | "Invite-only" | "Approval") {
  await admin.goto("/admin/registration");
  await admin.getByRole("radio", { name: mode, exact: true }).check();
  await admin.getByRole("button", { name: "Save registration mode" }).click();
  await expect(admin.getByRole("status").filter({ hasText: `Registration mode is now “${mode}”` })).toBeVisible();
}

async function confirmIn(admin: Page, trigger: string, confirm: string) {
  await admin.getByRole("button", { name: trigger, exact: true }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test("an admin invites someone, approves their request, disables, re-enables and deletes them; the audit log has every step", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, USERS.admin);
  const email = `invitee-${Date.now()}@example.com`;

  try {
    // Invite-only: strangers can't register; the invitee gets an e-mail with a temporary password.
    await setRegistration(admin, "Invite-only");
    await admin.getByLabel("Email", { exact: true }).fill(email);
    await admin.getByLabel(/^Name/).fill("Ivy Invitee");
    await admin.getByRole("button", { name: "Send invitation", exact: true }).click();
    await expect(admin.getByRole("status").filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
    await expect(admin.getByRole("row", { name: new RegExp(email) })).toContainText("Pending");

    const strangerContext = await browser.newContext();
    const stranger = await strangerContext.newPage();
    await stranger.goto("/register");
    await expect(stranger.getByTestId("signin-error")).toContainText("invite-only");
    await strangerContext.close();

    // The invitee accepts: signs in with the temporary password and chooses their own.
    const inviteeContext = await browser.newContext();
    const invitee = await inviteeContext.newPage();
    await invitee.goto("/signin");
    await invitee.getByRole("button", { name: "Continue to sign in" }).click();
    await invitee.getByLabel("Email or username").fill(email);
    await invitee.getByLabel("Password").fill(await temporaryPassword(email));
    await invitee.getByRole("button", { name: "Sign in" }).click();
    await invitee.getByLabel("New password", { exact: true }).fill("Invitee-pass-1");
    await invitee.getByLabel("Confirm new password").fill("Invitee-pass-1");
    await invitee.getByRole("button", { name: "Set password and continue" }).click();
    await expect(invitee).toHaveURL(/\/dashboard$/);
    await expect(invitee.getByTestId("account-name")).toHaveText("Ivy Invitee");
    await admin.reload();
    await expect(admin.getByRole("row", { name: new RegExp(email) })).toContainText("Accepted");

    // They create a key and ask for an approval-required product; the admin approves with a reason.
    await invitee.getByLabel("Key name").fill("ivy app");
    await invitee.getByRole("button", { name: "Create key" }).click();
    const key = (await invitee.getByLabel("New key value").textContent())?.trim() ?? "";
    expect(key).toMatch(/^[A-Za-z0-9]{20,}$/);
    await invitee.getByRole("button", { name: "Request access to Weather Basic" }).click();
    await expect(invitee.getByText("Pending", { exact: true })).toBeVisible();
    expect(await callApi("Weather API", key)).toBe(403);

    await admin.goto("/admin/approvals");
    const request = admin.getByRole("form", { name: `Decide Weather Basic for ${email}` });
    await request.getByLabel(/^Reason/).fill("Welcome aboard, Ivy");
    await request.getByRole("button", { name: "Approve" }).click();
    await expect(admin.getByRole("status").filter({ hasText: `Approved Weather Basic for ${email}` })).toBeVisible();
    await invitee.reload();
    await expect(invitee.getByText("Welcome aboard, Ivy")).toBeVisible();
    expect(await callApi("Weather API", key)).toBe(200);

    // Disable: sessions end and the key stops working; enable: the key works again.
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    await admin.getByRole("link", { name: email }).click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText(email);
    await confirmIn(admin, "Disable", "Disable account");
    await expect(admin.getByRole("button", { name: "Enable", exact: true })).toBeVisible();
    expect(await callApi("Weather API", key)).toBe(403);
    expect((await invitee.request.get("/api/me")).status()).toBe(401);

    await admin.getByRole("button", { name: "Enable", exact: true }).click();
    await expect(admin.getByRole("button", { name: "Disable", exact: true })).toBeVisible();
    expect(await callApi("Weather API", key)).toBe(200);
    const userPage = admin.url();

    // The audit log tells the whole story, newest first.
    const userId = decodeURIComponent(userPage.split("/admin/users/")[1]!);
    await admin.goto(`/admin/audit?user=${encodeURIComponent(userId)}`);
    for (const type of ["account.created", "key.created", "subscription.requested", "subscription.approved", "user.disabled", "user.enabled"]) {
      await expect(admin.getByRole("row").filter({ hasText: type }), type).toHaveCount(1);
    }

    // Delete: everything of theirs goes; the key answers 403; the history stays.
    await admin.goto(userPage);
    await admin.getByRole("button", { name: "Delete user…" }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByLabel(`Type ${email} to confirm`).fill(email);
    await dialog.getByRole("button", { name: "Delete user", exact: true }).click();
    await expect(admin).toHaveURL(/\/admin\/users\?deleted=/);
    expect(await callApi("Weather API", key)).toBe(403);
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    await expect(admin.getByRole("link", { name: email })).toHaveCount(0);
    await admin.goto(`/admin/audit?user=${encodeURIComponent(userId)}`);
    await expect(admin.getByRole("row").filter({ hasText: "account.deleted" })).toHaveCount(1);
    await expect(admin.getByRole("row").filter({ hasText: "user.disabled" })).toHaveCount(1);
    await inviteeContext.close();

    // The invitation's own steps are in the log too.
    await admin.goto("/admin/audit?type=invite");
    await expect(admin.getByRole("row").filter({ hasText: email }).filter({ hasText: "invite.sent" })).toHaveCount(1);
  } finally {
    await admin.request.put("/api/admin/registration", { data: { mode: "open" } });
    await adminContext.close();
  }
});

test("approval mode: a newcomer waits, and can create keys once an admin approves the account", async ({ browser }) => {
  test.setTimeout(120_000);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, USERS.admin);
  try {
    await setRegistration(admin, "Approval");
    const newcomer = await (await browser.newContext()).newPage();
    const email = `waiting-${Date.now()}@example.com`;
    await newcomer.goto("/register");
    await newcomer.getByLabel("Email").fill(email);
    await newcomer.getByLabel("Full name").fill("Wendy Waiting");
    await newcomer.getByLabel("Password", { exact: true }).fill("Waiting-pass-1");
    await newcomer.getByLabel("Confirm password").fill("Waiting-pass-1");
    await newcomer.getByRole("button", { name: "Create account" }).click();
    await expect(newcomer).toHaveURL(/\/dashboard$/);
    await expect(newcomer.getByTestId("awaiting-approval")).toBeVisible();
    const refused = await newcomer.request.post("/api/keys", { data: { name: "too early" } });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("approval");

    await admin.goto("/admin/registration");
    await admin.getByRole("button", { name: `Approve ${email}` }).click();
    await expect(admin.getByRole("status").filter({ hasText: `${email} is approved` })).toBeVisible();
    await newcomer.reload();
    await expect(newcomer.getByTestId("awaiting-approval")).toHaveCount(0);
    expect((await newcomer.request.post("/api/keys", { data: { name: "now" } })).status()).toBe(201);
  } finally {
    await admin.request.put("/api/admin/registration", { data: { mode: "open" } });
    await adminContext.close();
  }
});

test("a switch to a plan that needs approval is shown as a switch in the queue, and rejecting it leaves the old plan working", async ({ browser }) => {
  test.setTimeout(90_000);
  const developerContext = await browser.newContext();
  const developer = await developerContext.newPage();
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  try {
    const user = await register(developer, "switcher");
    await developer.getByLabel("Key name").fill("switch app");
    await developer.getByRole("button", { name: "Create key" }).click();
    const key = (await developer.getByLabel("New key value").textContent())?.trim() ?? "";
    await developer.getByRole("button", { name: "Subscribe to Pro" }).click();
    await expect(developer.getByRole("button", { name: "Unsubscribe from Pro" })).toBeVisible();
    // Pro covers the Weather API's stage, so Weather Basic (approval needed) is a switch.
    await developer.getByRole("button", { name: "Switch to Weather Basic…" }).click();
    await developer.getByRole("dialog", { name: "Switch to Weather Basic?" }).getByRole("button", { name: "Request switch to Weather Basic" }).click();
    await expect(developer.getByText("Pending", { exact: true })).toBeVisible();

    await signIn(admin, USERS.admin);
    await admin.goto("/admin/approvals");
    const request = admin.getByRole("listitem").filter({ has: admin.getByRole("form", { name: `Decide Weather Basic for ${user.email}` }) });
    await expect(request.getByTestId("switch-from")).toHaveText("From Pro: approving moves their keys to Weather Basic.");
    await request.getByLabel(/^Reason/).fill("Stay on Pro for now");
    await request.getByRole("button", { name: "Reject" }).click();
    await expect(admin.getByRole("status").filter({ hasText: `Rejected Weather Basic for ${user.email}` })).toBeVisible();

    await developer.reload();
    await expect(developer.getByText("Stay on Pro for now")).toBeVisible();
    await expect(developer.getByRole("button", { name: "Unsubscribe from Pro" })).toBeVisible();
    expect(await callApi("Weather API", key)).toBe(200);
  } finally {
    await developerContext.close();
    await adminContext.close();
  }
});
