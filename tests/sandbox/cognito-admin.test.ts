import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedCognito } from "@/local/cognito/seed";
import type { SentMessage } from "@/local/cognito/services";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { sdkConfig, startTestSandbox } from "./harness";
import { Browser, decodeJwt, parseForm, pkce } from "./hosted-client";

// The admin-console operations (invite, resend, cancel, disable/enable, groups, sign out everywhere)
// through the real SDK, and their effect on managed login and the token endpoint.

const CALLBACK = "http://localhost:3000/api/auth/callback/cognito";
const ADMIN = { username: "admin@example.com", email: "admin@example.com", name: "Ada Admin", password: "Portico-admin-1", groups: ["admins"] };
const INCORRECT = "Incorrect username or password.";

interface TokenSet {
  id_token: string;
  access_token: string;
  refresh_token: string;
}

describe("sandbox Cognito admin operations", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let idp: CognitoIdentityProviderClient;
  let userPoolId: string;
  let clientId: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    idp = new CognitoIdentityProviderClient(sdkConfig(sandbox));
    ({ userPoolId, clientId } = await seedCognito({
      endpoint: sandbox.url,
      region: SANDBOX_REGION,
      credentials: SANDBOX_CREDENTIALS,
      callbackUrls: [CALLBACK],
      logoutUrls: [],
      users: [ADMIN],
    }));
  });
  afterAll(async () => {
    idp.destroy();
    await sandbox.stop();
  });

  function authorizeUrl(challenge: string): string {
    const params = new URLSearchParams({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid email profile",
      state: "state-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    return `${sandbox.url}/oauth2/authorize?${params}`;
  }

  /** authorize → sign-in form → POST credentials; the response is 302 on success, else the re-rendered page. */
  async function submitSignIn(browser: Browser, username: string, password: string) {
    const { verifier, challenge } = pkce();
    const page = await browser.fetch(authorizeUrl(challenge));
    expect(page.status).toBe(200);
    const form = parseForm(await page.text(), sandbox.url);
    return { res: await browser.post(form.action, { ...form.hidden, username, password }), verifier };
  }

  function codeFrom(res: Response): string {
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get("error")).toBeNull();
    return location.searchParams.get("code")!;
  }

  async function exchange(code: string, verifier: string): Promise<TokenSet> {
    const res = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as TokenSet;
  }

  /** A full hosted sign-in of a confirmed user, with the browser keeping the session cookie. */
  async function signInForTokens(browser: Browser, username: string, password: string): Promise<TokenSet> {
    const { res, verifier } = await submitSignIn(browser, username, password);
    return exchange(codeFrom(res), verifier);
  }

  function refresh(refreshToken: string): Promise<Response> {
    return fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: clientId, refresh_token: refreshToken }),
    });
  }

  async function refreshedIdToken(refreshToken: string): Promise<Record<string, unknown>> {
    const res = await refresh(refreshToken);
    expect(res.status).toBe(200);
    return decodeJwt(((await res.json()) as { id_token: string }).id_token);
  }

  async function expectInvalidGrant(refreshToken: string): Promise<void> {
    const res = await refresh(refreshToken);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  }

  /** Does an authorize request from this browser show the password form (no live session)? */
  async function asksForPassword(browser: Browser): Promise<boolean> {
    const res = await browser.fetch(authorizeUrl(pkce().challenge));
    if (res.status === 302) return false;
    expect(res.status).toBe(200);
    return (await res.text()).includes('name="password"');
  }

  async function mailbox(): Promise<SentMessage[]> {
    const res = await fetch(`${sandbox.url}/_sandbox/cognito/messages`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: SentMessage[] }).messages;
  }

  async function lastInvitation(email: string): Promise<SentMessage> {
    const message = (await mailbox()).findLast((m) => m.destination === email && m.source === "AdminCreateUser");
    expect(message, `no invitation to ${email}`).toBeDefined();
    return message!;
  }

  function invite(email: string, name: string, extra: { MessageAction?: "RESEND" | "SUPPRESS"; TemporaryPassword?: string } = {}) {
    return idp.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "name", Value: name },
          { Name: "email_verified", Value: "true" },
        ],
        ...extra,
      }),
    );
  }

  /** A confirmed user with a permanent password, as the seed creates them. */
  async function createConfirmedUser(email: string, password: string): Promise<void> {
    await invite(email, email.split("@")[0]!, { MessageAction: "SUPPRESS" });
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: password, Permanent: true }));
  }

  async function status(email: string) {
    return idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  }

  it("invites by email: the mailbox keeps the invitation with a temporary password that meets the policy", async () => {
    const before = (await mailbox()).length;
    const { User } = await invite("ivy@example.com", "Ivy Invitee");
    expect(User).toMatchObject({ UserStatus: "FORCE_CHANGE_PASSWORD", Enabled: true });

    const messages = await mailbox();
    expect(messages).toHaveLength(before + 1);
    const invitation = messages.at(-1)!;
    expect(invitation).toMatchObject({
      source: "AdminCreateUser",
      medium: "EMAIL",
      destination: "ivy@example.com",
      userPoolId,
      username: User!.Username,
      subject: "Your temporary password",
    });
    expect(invitation.code).toBeUndefined();
    const password = invitation.temporaryPassword!;
    expect(password).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{8,}$/);
    expect(invitation.message).toBe(`Your username is ivy@example.com and temporary password is ${password}.`);
    expect(new Date(invitation.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const stored = await status("ivy@example.com");
    expect(stored.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(Object.fromEntries(stored.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      email: "ivy@example.com",
      name: "Ivy Invitee",
      email_verified: "true",
    });

    // SUPPRESS sends nothing; an existing user cannot be invited twice.
    await invite("quiet@example.com", "Quiet", { MessageAction: "SUPPRESS" });
    expect(await mailbox()).toHaveLength(before + 1);
    await expect(invite("ivy@example.com", "Ivy Again")).rejects.toMatchObject({ name: "UsernameExistsException" });
  });

  it("RESEND mails a new temporary password, the old one stops working, and the first sign-in sets a password and completes the code flow", async () => {
    await invite("rex@example.com", "Rex Resend");
    const first = (await lastInvitation("rex@example.com")).temporaryPassword!;

    const { User } = await invite("rex@example.com", "ignored", { MessageAction: "RESEND" });
    expect(User).toMatchObject({ UserStatus: "FORCE_CHANGE_PASSWORD" });
    const resent = await lastInvitation("rex@example.com");
    const second = resent.temporaryPassword!;
    expect(second).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{8,}$/);
    expect(second).not.toBe(first);
    expect(resent.message).toContain(second);

    const browser = new Browser();
    const stale = await submitSignIn(browser, "rex@example.com", first);
    expect(stale.res.status).toBe(200);
    expect(await stale.res.text()).toContain(INCORRECT);

    // The current temporary password leads to the new-password challenge, not to a code.
    const { res, verifier } = await submitSignIn(browser, "rex@example.com", second);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("Set a new password");
    const form = parseForm(html, sandbox.url);
    expect(form.hidden.challenge).toBeTruthy();
    const mismatch = await browser.post(form.action, { ...form.hidden, new_password: "Rex-permanent-1", confirm_password: "Rex-permanent-2" });
    expect(await mismatch.text()).toContain("Passwords do not match.");
    const done = await browser.post(form.action, { ...form.hidden, new_password: "Rex-permanent-1", confirm_password: "Rex-permanent-1" });
    const tokens = await exchange(codeFrom(done), verifier);
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      email: "rex@example.com",
      name: "Rex Resend",
      email_verified: true,
      "cognito:username": User!.Username,
    });
    expect((await status("rex@example.com")).UserStatus).toBe("CONFIRMED");

    // The challenge is single-use, the temporary password is gone, the new one signs in.
    const replay = await browser.post(form.action, { ...form.hidden, new_password: "Rex-other-pass-1", confirm_password: "Rex-other-pass-1" });
    expect(replay.status).toBe(200);
    expect(await replay.text()).toContain("This form has expired.");
    expect(await (await submitSignIn(new Browser(), "rex@example.com", second)).res.text()).toContain(INCORRECT);
    expect(codeFrom((await submitSignIn(new Browser(), "rex@example.com", "Rex-permanent-1")).res)).toBeTruthy();

    // RESEND is only for users who have not signed in yet, and only for existing users.
    const mailed = (await mailbox()).length;
    await expect(invite("rex@example.com", "Rex", { MessageAction: "RESEND" })).rejects.toMatchObject({
      name: "UnsupportedUserStateException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(invite(ADMIN.email, "Ada", { MessageAction: "RESEND" })).rejects.toMatchObject({ name: "UnsupportedUserStateException" });
    await expect(invite("nobody@example.com", "Nobody", { MessageAction: "RESEND" })).rejects.toMatchObject({ name: "UserNotFoundException" });
    expect(await mailbox()).toHaveLength(mailed);
  });

  it("a temporary password expires after the pool's validity (7 days here); RESEND gives a fresh one", async () => {
    await invite("late@example.com", "Late Larry");
    const first = (await lastInvitation("late@example.com")).temporaryPassword!;
    const sixDays = Date.now() + 6 * 86_400_000;
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(sixDays);
      expect(await (await submitSignIn(new Browser(), "late@example.com", first)).res.text()).toContain("Set a new password");
      vi.setSystemTime(sixDays + 2 * 86_400_000);
      const expired = await (await submitSignIn(new Browser(), "late@example.com", first)).res.text();
      expect(expired).toContain("Temporary password has expired and must be reset by an administrator.");
      expect(expired).not.toContain("Set a new password");

      await invite("late@example.com", "Late Larry", { MessageAction: "RESEND" });
      const second = (await lastInvitation("late@example.com")).temporaryPassword!;
      expect(await (await submitSignIn(new Browser(), "late@example.com", second)).res.text()).toContain("Set a new password");
    } finally {
      vi.useRealTimers();
    }
  });

  it("RESEND with a TemporaryPassword uses it, after checking it against the policy", async () => {
    await invite("tess@example.com", "Tess");
    await expect(invite("tess@example.com", "Tess", { MessageAction: "RESEND", TemporaryPassword: "weak" })).rejects.toMatchObject({
      name: "InvalidPasswordException",
    });
    await invite("tess@example.com", "Tess", { MessageAction: "RESEND", TemporaryPassword: "Chosen-temp-1$&" });
    const invitation = await lastInvitation("tess@example.com");
    expect(invitation.temporaryPassword).toBe("Chosen-temp-1$&");
    expect(invitation.message).toBe("Your username is tess@example.com and temporary password is Chosen-temp-1$&.");
    const { res } = await submitSignIn(new Browser(), "tess@example.com", "Chosen-temp-1$&");
    expect(await res.text()).toContain("Set a new password");
  });

  it("AdminDeleteUser cancels an invitation: the user and the temporary password are gone", async () => {
    await invite("cancel@example.com", "Cancelled");
    const password = (await lastInvitation("cancel@example.com")).temporaryPassword!;
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "cancel@example.com" }));
    await expect(status("cancel@example.com")).rejects.toMatchObject({ name: "UserNotFoundException" });
    expect(await (await submitSignIn(new Browser(), "cancel@example.com", password)).res.text()).toContain(INCORRECT);
    await expect(idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "cancel@example.com" }))).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
    await expect(invite("cancel@example.com", "Cancelled", { MessageAction: "RESEND" })).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("AdminDeleteUser of a signed-in user ends their managed-login session", async () => {
    await createConfirmedUser("gone@example.com", "Gone-pass-1");
    const browser = new Browser();
    const tokens = await signInForTokens(browser, "gone@example.com", "Gone-pass-1");
    expect(await asksForPassword(browser)).toBe(false);
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "gone@example.com" }));
    expect(await asksForPassword(browser)).toBe(true);
    await expectInvalidGrant(tokens.refresh_token);
  });

  it("AdminUserGlobalSignOut revokes the user's refresh tokens and ends all their managed-login sessions, and only theirs", async () => {
    await createConfirmedUser("sally@example.com", "Sally-pass-1");
    const laptop = new Browser();
    const phone = new Browser();
    const fromLaptop = await signInForTokens(laptop, "sally@example.com", "Sally-pass-1");
    const fromPhone = await signInForTokens(phone, "sally@example.com", "Sally-pass-1");
    const { AuthenticationResult } = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "sally@example.com", PASSWORD: "Sally-pass-1" },
      }),
    );
    const fromApi = AuthenticationResult!.RefreshToken!;
    const adminBrowser = new Browser();
    const adminTokens = await signInForTokens(adminBrowser, ADMIN.email, ADMIN.password);

    // Before: every refresh token works and both browsers skip the form.
    expect(await refreshedIdToken(fromLaptop.refresh_token)).toMatchObject({ email: "sally@example.com" });
    expect(await asksForPassword(laptop)).toBe(false);
    expect(await asksForPassword(phone)).toBe(false);
    const apiRefresh = () =>
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: userPoolId,
          ClientId: clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: fromApi },
        }),
      );
    expect((await apiRefresh()).AuthenticationResult?.IdToken).toBeTruthy();

    // A code issued before the sign-out cannot be exchanged after it.
    const pending = await submitSignIn(new Browser(), "sally@example.com", "Sally-pass-1");
    const pendingCode = codeFrom(pending.res);

    const output = await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: "sally@example.com" }));
    expect(output.$metadata.httpStatusCode).toBe(200);

    for (const token of [fromLaptop.refresh_token, fromPhone.refresh_token, fromApi]) await expectInvalidGrant(token);
    await expect(apiRefresh()).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Invalid Refresh Token" });
    expect(await asksForPassword(laptop)).toBe(true);
    expect(await asksForPassword(phone)).toBe(true);
    const late = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code: pendingCode,
        redirect_uri: CALLBACK,
        code_verifier: pending.verifier,
      }),
    });
    expect(late.status).toBe(400);

    // Other users keep their tokens and sessions; the user can sign in again.
    expect(await refreshedIdToken(adminTokens.refresh_token)).toMatchObject({ email: ADMIN.email });
    expect(await asksForPassword(adminBrowser)).toBe(false);
    const again = await signInForTokens(laptop, "sally@example.com", "Sally-pass-1");
    expect(await refreshedIdToken(again.refresh_token)).toMatchObject({ email: "sally@example.com" });
    expect((await status("sally@example.com")).Enabled).toBe(true);
  });

  it("AdminUserGlobalSignOut answers {} like AWS, and UserNotFoundException / ResourceNotFoundException for unknown users and pools", async () => {
    const raw = await fetch(sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.AdminUserGlobalSignOut" },
      body: JSON.stringify({ UserPoolId: userPoolId, Username: ADMIN.email }),
    });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe("{}");

    await expect(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: "nobody@example.com" }))).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: "local_Missing1", Username: ADMIN.email }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    const missing = await fetch(sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.AdminUserGlobalSignOut" },
      body: JSON.stringify({ UserPoolId: userPoolId }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ __type: "InvalidParameterException" });
  });

  it("AdminDisableUser blocks hosted sign-in with a clear message and revokes refresh tokens; AdminEnableUser restores sign-in", async () => {
    await createConfirmedUser("dana@example.com", "Dana-pass-1");
    const browser = new Browser();
    const before = await signInForTokens(browser, "dana@example.com", "Dana-pass-1");

    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "dana@example.com" }));
    expect((await status("dana@example.com")).Enabled).toBe(false);
    await expectInvalidGrant(before.refresh_token);
    expect(await asksForPassword(browser)).toBe(true);

    const disabled = await submitSignIn(browser, "dana@example.com", "Dana-pass-1");
    expect(disabled.res.status).toBe(200);
    expect(disabled.res.headers.get("location")).toBeNull();
    expect(await disabled.res.text()).toContain("User is disabled.");
    // A wrong password still gets the generic answer: the form does not reveal the account state.
    expect(await (await submitSignIn(browser, "dana@example.com", "Wrong-pass-1")).res.text()).toContain(INCORRECT);
    await expect(
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: userPoolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "dana@example.com", PASSWORD: "Dana-pass-1" },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "User is disabled." });

    await idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "dana@example.com" }));
    expect((await status("dana@example.com")).Enabled).toBe(true);
    const after = await signInForTokens(browser, "dana@example.com", "Dana-pass-1");
    expect(await refreshedIdToken(after.refresh_token)).toMatchObject({ email: "dana@example.com" });
    // Tokens revoked by the disable stay revoked.
    await expectInvalidGrant(before.refresh_token);

    await expect(idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "nobody@example.com" }))).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
    await expect(idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "nobody@example.com" }))).rejects.toMatchObject({
      name: "UserNotFoundException",
    });
  });

  it("a user disabled while on the new-password page cannot finish signing in", async () => {
    await invite("nina@example.com", "Nina");
    const password = (await lastInvitation("nina@example.com")).temporaryPassword!;
    const browser = new Browser();
    const { res } = await submitSignIn(browser, "nina@example.com", password);
    const form = parseForm(await res.text(), sandbox.url);
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "nina@example.com" }));
    const done = await browser.post(form.action, { ...form.hidden, new_password: "Nina-permanent-1", confirm_password: "Nina-permanent-1" });
    expect(done.status).toBe(200);
    expect(done.headers.get("location")).toBeNull();
    expect(await done.text()).toContain("User is disabled.");
    expect((await status("nina@example.com")).UserStatus).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("AdminAddUserToGroup / AdminRemoveUserFromGroup change cognito:groups in the next ID token", async () => {
    await createConfirmedUser("gary@example.com", "Gary-pass-1");
    const browser = new Browser();
    const tokens = await signInForTokens(browser, "gary@example.com", "Gary-pass-1");
    expect(decodeJwt(tokens.id_token)["cognito:groups"]).toBeUndefined();

    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "gary@example.com", GroupName: "admins" }));
    expect((await refreshedIdToken(tokens.refresh_token))["cognito:groups"]).toEqual(["admins"]);
    // A new sign-in (here through the live session) carries it too, in the access token as well.
    const { verifier, challenge } = pkce();
    const viaSession = await exchange(codeFrom(await browser.fetch(authorizeUrl(challenge))), verifier);
    expect(decodeJwt(viaSession.id_token)["cognito:groups"]).toEqual(["admins"]);
    expect(decodeJwt(viaSession.access_token)["cognito:groups"]).toEqual(["admins"]);

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "gary@example.com", GroupName: "admins" }));
    expect((await refreshedIdToken(tokens.refresh_token))["cognito:groups"]).toBeUndefined();
    // The other admin is still one.
    const admin = await signInForTokens(new Browser(), ADMIN.email, ADMIN.password);
    expect(decodeJwt(admin.id_token)["cognito:groups"]).toEqual(["admins"]);

    await expect(
      idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "nobody@example.com", GroupName: "admins" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
    await expect(
      idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: "nobody@example.com", GroupName: "admins" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
    await expect(
      idp.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: "gary@example.com", GroupName: "no-such-group" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("AdminGetUser answers UserNotFoundException for an unknown user", async () => {
    await expect(status("nobody@example.com")).rejects.toMatchObject({
      name: "UserNotFoundException",
      message: "User does not exist.",
      $metadata: { httpStatusCode: 400 },
    });
  });
});
