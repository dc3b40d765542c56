import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  GetUserCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognito } from "@/local/cognito";
import { seedCognito, type SeedCognitoOptions } from "@/local/cognito/seed";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { startSandbox } from "@/local/sandbox";
import type { EdgeRequest } from "@/local/service";
import { sdkConfig, startTestSandbox } from "./harness";
import { Browser, decodeJwt, parseForm, pkce, unescapeHtml } from "./hosted-client";

const CALLBACK = "http://localhost:3000/api/auth/callback/cognito";
const LOGOUT = "http://localhost:3000/";
const ADMIN = { username: "admin@example.com", email: "admin@example.com", name: "Ada Admin", password: "Portico-admin-1", groups: ["admins"] };
const DEV = { username: "dev", email: "dev@example.com", name: "Dev Eloper", password: "Portico-dev-1", groups: [] };

describe("sandbox Cognito (cognito-local + managed login)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let idp: CognitoIdentityProviderClient;
  let seedOptions: SeedCognitoOptions;
  let seeded: Awaited<ReturnType<typeof seedCognito>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    idp = new CognitoIdentityProviderClient(sdkConfig(sandbox));
    seedOptions = {
      endpoint: sandbox.url,
      region: SANDBOX_REGION,
      credentials: SANDBOX_CREDENTIALS,
      callbackUrls: [CALLBACK],
      logoutUrls: [LOGOUT],
      users: [ADMIN, DEV],
    };
    seeded = await seedCognito(seedOptions);
  });
  afterAll(() => sandbox.stop());

  function authorizeUrl(challenge: string, extra: Record<string, string> = {}): string {
    const params = new URLSearchParams({
      client_id: seeded.clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid email profile",
      state: "state-123",
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...extra,
    });
    return `${sandbox.url}/oauth2/authorize?${params}`;
  }

  /** authorize → sign-in form → POST credentials; returns the final response (302 on success). */
  async function signIn(browser: Browser, username: string, password: string, extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const page = await browser.fetch(authorizeUrl(challenge, extra));
    expect(page.status).toBe(200);
    const form = parseForm(await page.text(), sandbox.url);
    const res = await browser.post(form.action, { ...form.hidden, username, password });
    return { res, verifier };
  }

  function codeFrom(res: Response): string {
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get("state")).toBe("state-123");
    return location.searchParams.get("code")!;
  }

  async function exchange(code: string, verifier: string) {
    return fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: seeded.clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }),
    });
  }

  it("seeds the pool, app client, admins group and users, idempotently", async () => {
    const again = await seedCognito(seedOptions);
    expect(again).toEqual(seeded);
    expect(seeded.issuer).toBe(`${sandbox.url}/${seeded.userPoolId}`);

    const { UserPools } = await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(UserPools?.filter((p) => p.Name === "portico")).toHaveLength(1);
    const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: seeded.userPoolId }));
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({ MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true });
    const { UserPoolClient } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: seeded.userPoolId, ClientId: seeded.clientId }));
    expect(UserPoolClient).toMatchObject({
      ClientName: "portico-web",
      AllowedOAuthFlows: ["code"],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [LOGOUT],
      SupportedIdentityProviders: ["COGNITO"],
    });
    expect(UserPoolClient?.ClientSecret).toBeUndefined();

    const { Users } = await idp.send(new ListUsersInGroupCommand({ UserPoolId: seeded.userPoolId, GroupName: "admins" }));
    expect(Users?.map((u) => u.Attributes?.find((a) => a.Name === "email")?.Value)).toEqual([ADMIN.email]);
    const dev = await idp.send(new AdminGetUserCommand({ UserPoolId: seeded.userPoolId, Username: DEV.email }));
    expect(dev.UserStatus).toBe("CONFIRMED");
    expect(Object.fromEntries(dev.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      email: DEV.email,
      email_verified: "true",
      name: DEV.name,
      preferred_username: "dev",
    });
  });

  it("serves a complete OpenID discovery document and JWKS, and 404 for an unknown pool", async () => {
    const res = await fetch(`${sandbox.url}/${seeded.userPoolId}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: seeded.issuer,
      authorization_endpoint: `${sandbox.url}/oauth2/authorize`,
      token_endpoint: `${sandbox.url}/oauth2/token`,
      userinfo_endpoint: `${sandbox.url}/oauth2/userInfo`,
      end_session_endpoint: `${sandbox.url}/logout`,
      jwks_uri: `${sandbox.url}/${seeded.userPoolId}/.well-known/jwks.json`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "phone", "aws.cognito.signin.user.admin"]));
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post", "none"]));
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));

    const jwks = (await (await fetch(doc.jwks_uri as string)).json()) as { keys: { kty: string; alg: string; kid: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });

    const unknown = await fetch(`${sandbox.url}/local_Nope1234/.well-known/openid-configuration`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/json");
  });

  it("signs in through managed login with code + PKCE and issues tokens an OIDC client accepts", async () => {
    const browser = new Browser();
    const { res, verifier } = await signIn(browser, ADMIN.email, ADMIN.password, { nonce: "nonce-abc" });
    const code = codeFrom(res);
    const session = browser.cookie("cognito");
    expect(session).toBeTruthy();
    expect(res.headers.getSetCookie().find((c) => c.startsWith("cognito="))).toMatch(/HttpOnly/i);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("cognito="))).toMatch(/SameSite=Lax/i);

    const tokenRes = await exchange(code, verifier);
    expect(tokenRes.status).toBe(200);
    const tokens = (await tokenRes.json()) as { id_token: string; access_token: string; refresh_token: string; token_type: string; expires_in: number };
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(tokens.refresh_token).toBeTruthy();

    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({
      iss: seeded.issuer,
      aud: seeded.clientId,
      token_use: "id",
      email: ADMIN.email,
      email_verified: true,
      name: ADMIN.name,
      nonce: "nonce-abc",
      "cognito:groups": ["admins"],
    });
    expect(id.exp as number).toBeGreaterThan(Date.now() / 1000);
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({
      iss: seeded.issuer,
      client_id: seeded.clientId,
      token_use: "access",
      scope: "openid email profile",
      "cognito:groups": ["admins"],
    });

    // Verify the ID token's signature with the key the JWKS publishes for its kid.
    const discovery = (await (await fetch(`${seeded.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const [headerPart, payloadPart, signaturePart] = tokens.id_token.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(headerPart, "base64url").toString()) as { alg: string; kid: string };
    expect(header.alg).toBe("RS256");
    const jwk = keys.find((k) => k.kid === header.kid)!;
    const key = createPublicKey({ key: jwk, format: "jwk" });
    expect(verify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, "base64url"))).toBe(true);
    const tampered = Buffer.from(JSON.stringify({ ...id, "cognito:groups": ["admins", "root"] })).toString("base64url");
    expect(verify("sha256", Buffer.from(`${headerPart}.${tampered}`), key, Buffer.from(signaturePart, "base64url"))).toBe(false);

    const info = await fetch(`${sandbox.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: id.sub, email: ADMIN.email, email_verified: "true", name: ADMIN.name, username: id["cognito:username"] });

    // The refresh token works at the token endpoint too (no new refresh token, as on Cognito).
    const refreshed = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: seeded.clientId, refresh_token: tokens.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
    const again = (await refreshed.json()) as { id_token: string; refresh_token?: string };
    expect(decodeJwt(again.id_token)).toMatchObject({ sub: id.sub, "cognito:groups": ["admins"] });
    expect(again.refresh_token).toBeUndefined();
  });

  it("re-renders the form on a wrong password or unknown user, with the same message and no code", async () => {
    for (const [username, password] of [
      [ADMIN.email, "Wrong-password-1"],
      ["nobody@example.com", ADMIN.password],
    ] as const) {
      const browser = new Browser();
      const { res } = await signIn(browser, username, password);
      expect(res.status).toBe(200);
      expect(res.headers.get("location")).toBeNull();
      const html = await res.text();
      expect(html).toContain("Incorrect username or password.");
      expect(html).toContain('role="alert"');
      expect(html).toContain(`value="${username}"`);
      expect(browser.cookie("cognito")).toBeUndefined();
    }
  });

  it("signs in by email a user whose seed username differs from it", async () => {
    const { res } = await signIn(new Browser(), DEV.email, DEV.password);
    expect(codeFrom(res)).toBeTruthy();
  });

  it("refuses an unregistered redirect_uri with a 400 page and never redirects to it", async () => {
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(challenge, { redirect_uri: "https://evil.example/callback" }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("not registered");

    const unknownClient = await fetch(authorizeUrl(challenge, { client_id: "nope" }), { redirect: "manual" });
    expect(unknownClient.status).toBe(400);
  });

  it("sends request errors after a valid redirect_uri back to the client (missing PKCE, bad scope)", async () => {
    const { challenge } = pkce();
    const noPkce = await fetch(authorizeUrl(challenge, { code_challenge: "" }), { redirect: "manual" });
    expect(noPkce.status).toBe(302);
    const location = new URL(noPkce.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("state-123");

    const badScope = await fetch(authorizeUrl(challenge, { scope: "openid phone" }), { redirect: "manual" });
    expect(new URL(badScope.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
  });

  it("rejects a wrong code_verifier with invalid_grant, and a code can be used only once", async () => {
    const { res, verifier } = await signIn(new Browser(), DEV.email, DEV.password);
    const code = codeFrom(res);
    const bad = await exchange(code, pkce().verifier);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_grant" });
    const replay = await exchange(code, verifier);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });

    const unsupported = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: seeded.clientId }),
    });
    expect(await unsupported.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("accepts client_secret_basic at the token endpoint", async () => {
    const { res, verifier } = await signIn(new Browser(), DEV.email, DEV.password);
    const code = codeFrom(res);
    const tokenRes = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${seeded.clientId}:`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier }),
    });
    expect(tokenRes.status).toBe(200);
    const { id_token } = (await tokenRes.json()) as { id_token: string };
    expect(decodeJwt(id_token)).toMatchObject({ email: DEV.email, aud: seeded.clientId });
  });

  it("answers userInfo with 401 for a missing, forged or garbage token", async () => {
    const missing = await fetch(`${sandbox.url}/oauth2/userInfo`);
    expect(missing.status).toBe(401);
    const garbage = await fetch(`${sandbox.url}/oauth2/userInfo`, { headers: { authorization: "Bearer not-a-jwt" } });
    expect(garbage.status).toBe(401);
    expect(await garbage.json()).toMatchObject({ error: "invalid_token" });
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url"),
      Buffer.from(
        JSON.stringify({
          sub: "x",
          iss: seeded.issuer,
          client_id: seeded.clientId,
          username: ADMIN.email,
          token_use: "access",
          scope: "openid",
          exp: 9999999999,
        }),
      ).toString("base64url"),
      "",
    ].join(".");
    const forged = await fetch(`${sandbox.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${unsigned}` } });
    expect(forged.status).toBe(401);
  });

  it("keeps a managed-login session: a second authorize skips the form; /logout ends it", async () => {
    const browser = new Browser();
    const first = await signIn(browser, ADMIN.email, ADMIN.password);
    codeFrom(first.res);

    const { verifier, challenge } = pkce();
    const second = await browser.fetch(authorizeUrl(challenge));
    const code = codeFrom(second);
    const tokens = (await (await exchange(code, verifier)).json()) as { id_token: string };
    expect(decodeJwt(tokens.id_token)).toMatchObject({ email: ADMIN.email });

    // prompt=login forces the form despite the session.
    const forced = await browser.fetch(authorizeUrl(pkce().challenge, { prompt: "login" }));
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain('name="password"');

    const rejected = await browser.fetch(`${sandbox.url}/logout?${new URLSearchParams({ client_id: seeded.clientId, logout_uri: "https://evil.example/" })}`);
    expect(rejected.status).toBe(400);
    expect(browser.cookie("cognito")).toBeTruthy();

    const sessionCookie = browser.cookie("cognito")!;
    const out = await browser.fetch(`${sandbox.url}/logout?${new URLSearchParams({ client_id: seeded.clientId, logout_uri: LOGOUT })}`);
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe(LOGOUT);
    expect(browser.cookie("cognito")).toBeUndefined();

    const after = await browser.fetch(authorizeUrl(pkce().challenge));
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('name="password"');

    // The old cookie is revoked server-side too, not only deleted from the browser.
    const replayed = await fetch(authorizeUrl(pkce().challenge), { headers: { cookie: `cognito=${sessionCookie}` }, redirect: "manual" });
    expect(replayed.status).toBe(200);

    // The redirect_uri form of /logout ends the session and goes back to the sign-in page.
    codeFrom((await signIn(browser, ADMIN.email, ADMIN.password)).res);
    const challenge2 = pkce().challenge;
    const relogin = await browser.fetch(
      `${sandbox.url}/logout?${new URLSearchParams({ client_id: seeded.clientId, redirect_uri: CALLBACK, response_type: "code", state: "state-123", code_challenge: challenge2, code_challenge_method: "S256" })}`,
    );
    expect(relogin.status).toBe(302);
    expect(relogin.headers.get("location")).toMatch(/^\/login\?/);
    expect(browser.cookie("cognito")).toBeUndefined();
    const loginPage = await browser.fetch(new URL(relogin.headers.get("location")!, sandbox.url).toString());
    expect(loginPage.status).toBe(200);
    expect(await loginPage.text()).toContain('name="password"');

    // prompt=none without a session goes back with login_required.
    const silent = await browser.fetch(authorizeUrl(pkce().challenge, { prompt: "none" }));
    expect(new URL(silent.headers.get("location")!).searchParams.get("error")).toBe("login_required");
  });

  it("rejects a sign-in POST without the CSRF token", async () => {
    const browser = new Browser();
    const page = await browser.fetch(authorizeUrl(pkce().challenge));
    const { action } = parseForm(await page.text(), sandbox.url);
    const res = await browser.post(action, { username: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
  });

  it("signs up through /signup: auto-confirmed, verified, signed in, and not an admin", async () => {
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    const login = await browser.fetch(authorizeUrl(challenge));
    const signupHref = /href="([^"]*\/signup\?[^"]+)"/.exec(await login.text())?.[1];
    expect(signupHref).toBeTruthy();
    const page = await browser.fetch(new URL(unescapeHtml(signupHref!), sandbox.url).toString());
    expect(page.status).toBe(200);
    const form = parseForm(await page.text(), sandbox.url);
    const res = await browser.post(form.action, {
      ...form.hidden,
      email: "new.user@example.com",
      name: "New User",
      password: "Newuser-pass-1",
      confirm_password: "Newuser-pass-1",
    });
    const code = codeFrom(res);
    expect(browser.cookie("cognito")).toBeTruthy();

    const tokens = (await (await exchange(code, verifier)).json()) as { id_token: string };
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({ email: "new.user@example.com", name: "New User", email_verified: true });
    expect(id["cognito:groups"]).toBeUndefined();

    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: seeded.userPoolId, Username: "new.user@example.com" }));
    expect(user.UserStatus).toBe("CONFIRMED");

    const again = await signIn(new Browser(), "new.user@example.com", "Newuser-pass-1");
    const second = await exchange(codeFrom(again.res), again.verifier);
    expect(decodeJwt(((await second.json()) as { id_token: string }).id_token)).toMatchObject({ sub: id.sub });
  });

  it("shows sign-up errors: password policy, mismatch, duplicate email", async () => {
    const browser = new Browser();
    const page = await browser.fetch(`${sandbox.url}/signup?${new URL(authorizeUrl(pkce().challenge)).searchParams}`);
    const html = await page.text();
    expect(html).toContain("Use at least 8 characters, an uppercase letter, a lowercase letter and a number.");
    const form = parseForm(html, sandbox.url);

    const weak = await browser.post(form.action, { ...form.hidden, email: "weak@example.com", name: "Weak", password: "short", confirm_password: "other" });
    expect(weak.status).toBe(200);
    const weakHtml = await weak.text();
    expect(weakHtml).toContain(
      "Password did not conform with policy: Password not long enough; Password must have uppercase characters; Password must have numeric characters.",
    );
    expect(weakHtml).toContain("Passwords do not match.");
    expect(weakHtml).toContain('value="weak@example.com"');
    expect(weakHtml).not.toContain('value="short"');

    const duplicate = await browser.post(form.action, {
      ...form.hidden,
      email: ADMIN.email.toUpperCase(),
      name: "Copycat",
      password: "Copycat-pass-1",
      confirm_password: "Copycat-pass-1",
    });
    expect(duplicate.status).toBe(200);
    expect(duplicate.headers.get("location")).toBeNull();
    expect(await duplicate.text()).toContain("An account with the given email already exists.");
  });

  it("asks a user with a temporary password for a new one, enforcing the policy", async () => {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: seeded.userPoolId,
        Username: "temp@example.com",
        TemporaryPassword: "Temporary-1",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "temp@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    const browser = new Browser();
    const { res, verifier } = await signIn(browser, "temp@example.com", "Temporary-1");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Set a new password");
    const form = parseForm(html, sandbox.url);
    const weak = await browser.post(form.action, { ...form.hidden, new_password: "weak", confirm_password: "weak" });
    expect(await weak.text()).toContain("Password must have uppercase characters");
    const done = await browser.post(form.action, { ...form.hidden, new_password: "Permanent-2", confirm_password: "Permanent-2" });
    const tokens = (await (await exchange(codeFrom(done), verifier)).json()) as { id_token: string };
    expect(decodeJwt(tokens.id_token)).toMatchObject({ email: "temp@example.com" });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: seeded.userPoolId, Username: "temp@example.com" }));
    expect(user.UserStatus).toBe("CONFIRMED");
  });

  it("issues the same token shapes through the JSON API and checks access tokens it is given", async () => {
    const { AuthenticationResult } = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: seeded.userPoolId,
        ClientId: seeded.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: ADMIN.email, PASSWORD: ADMIN.password },
      }),
    );
    expect(decodeJwt(AuthenticationResult!.IdToken!)).toMatchObject({ iss: seeded.issuer, name: ADMIN.name, "cognito:groups": ["admins"] });
    expect(decodeJwt(AuthenticationResult!.AccessToken!)).toMatchObject({ scope: "aws.cognito.signin.user.admin" });
    const me = await idp.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken! }));
    expect(me.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe(ADMIN.email);

    const [h, p] = AuthenticationResult!.AccessToken!.split(".");
    await expect(idp.send(new GetUserCommand({ AccessToken: `${h}.${p}.forged` }))).rejects.toMatchObject({ name: "NotAuthorizedException" });
    await expect(
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: seeded.userPoolId,
          ClientId: seeded.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: ADMIN.email, PASSWORD: "Wrong-password-1" },
        }),
      ),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("keeps API sign-up codes in the sandbox mailbox (no e-mail is sent)", async () => {
    await expect(idp.send(new SignUpCommand({ ClientId: seeded.clientId, Username: "api@example.com", Password: "nouppercase1" }))).rejects.toMatchObject({
      name: "InvalidPasswordException",
    });
    const { UserConfirmed } = await idp.send(
      new SignUpCommand({
        ClientId: seeded.clientId,
        Username: "api@example.com",
        Password: "Api-user-pass-1",
        UserAttributes: [{ Name: "name", Value: "Api User" }],
      }),
    );
    expect(UserConfirmed).toBe(false);
    const { messages } = (await (await fetch(`${sandbox.url}/_sandbox/cognito/messages`)).json()) as { messages: { destination: string; code?: string }[] };
    const code = messages.findLast((m) => m.destination === "api@example.com")?.code;
    expect(code).toMatch(/^\d{6}$/);
    await idp.send(new ConfirmSignUpCommand({ ClientId: seeded.clientId, Username: "api@example.com", ConfirmationCode: code! }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: seeded.userPoolId, Username: "api@example.com" }));
    expect(user.UserStatus).toBe("CONFIRMED");
  });

  /** A pool of its own with a code-flow web client calling back to CALLBACK. */
  async function createPoolWithWebClient(pool: CreateUserPoolCommandInput) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand(pool));
    const { UserPoolClient } = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientName: "web",
        AllowedOAuthFlows: ["code"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      }),
    );
    return { UserPool, UserPoolClient };
  }

  it("signs in by verified email alias on pools with AliasAttributes (cognito-local only knows UsernameAttributes)", async () => {
    const { UserPool, UserPoolClient } = await createPoolWithWebClient({ PoolName: "aliased", AliasAttributes: ["email"] });
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: UserPool!.Id!,
        Username: "carol",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "carol@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool!.Id!, Username: "carol", Password: "Carol-pass-1!", Permanent: true }));

    const { verifier, challenge } = pkce();
    const browser = new Browser();
    const params = new URLSearchParams({
      client_id: UserPoolClient!.ClientId!,
      redirect_uri: CALLBACK,
      response_type: "code",
      state: "state-123",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const form = parseForm(await (await browser.fetch(`${sandbox.url}/login?${params}`)).text(), sandbox.url);
    const res = await browser.post(form.action, { ...form.hidden, username: "Carol@Example.com", password: "Carol-pass-1!" });
    const tokenRes = await fetch(`${sandbox.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: UserPoolClient!.ClientId!,
        code: codeFrom(res),
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }),
    });
    const { id_token } = (await tokenRes.json()) as { id_token: string };
    expect(decodeJwt(id_token)).toMatchObject({ "cognito:username": "carol", iss: `${sandbox.url}/${UserPool!.Id!}` });
  });

  it("refuses sign-up in a pool where only admins create users, on the JSON API and the managed login", async () => {
    const { UserPool, UserPoolClient } = await createPoolWithWebClient({
      PoolName: "admin-only",
      UsernameAttributes: ["email"],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const clientId = UserPoolClient!.ClientId!;
    await expect(idp.send(new SignUpCommand({ ClientId: clientId, Username: "stranger@example.com", Password: "Stranger-pass-1" }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "SignUp is not permitted for this user pool",
    });

    const browser = new Browser();
    const params = new URLSearchParams({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      state: "s",
      code_challenge: pkce().challenge,
      code_challenge_method: "S256",
    });
    const login = await browser.fetch(`${sandbox.url}/login?${params}`);
    const loginHtml = await login.text();
    expect(loginHtml).toContain("Sign in");
    expect(loginHtml).not.toContain("/signup?");
    const signup = await browser.fetch(`${sandbox.url}/signup?${params}`);
    expect(signup.status).toBe(403);
    expect(await signup.text()).toContain("SignUp is not permitted for this user pool");
    const form = parseForm(loginHtml, sandbox.url);
    const posted = await browser.post(`${sandbox.url}/signup?${params}`, {
      ...form.hidden,
      email: "stranger@example.com",
      name: "Stranger",
      password: "Stranger-pass-1",
      confirm_password: "Stranger-pass-1",
    });
    expect(posted.status).toBe(403);
    const { Users } = await idp.send(new ListUsersCommand({ UserPoolId: UserPool!.Id! }));
    expect(Users).toEqual([]);
  });

  it("answers bad JSON-API input with AWS-style 4xx errors", async () => {
    const malformed = await fetch(sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await malformed.json()).toMatchObject({ __type: "SerializationException" });

    const unknownOperation = await fetch(sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.MakeCoffee" },
      body: "{}",
    });
    expect(unknownOperation.status).toBe(400);

    const missingFields = await fetch(sandbox.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.SignUp" },
      body: "{}",
    });
    expect(missingFields.status).toBeGreaterThanOrEqual(400);
    expect(missingFields.status).toBeLessThan(500);

    await expect(idp.send(new DescribeUserPoolCommand({ UserPoolId: "local_Missing1" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      idp.send(new AdminSetUserPasswordCommand({ UserPoolId: seeded.userPoolId, Username: DEV.email, Password: "weak", Permanent: true })),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
    });
    await expect(idp.send(new CreateGroupCommand({ UserPoolId: seeded.userPoolId, GroupName: "admins" }))).rejects.toMatchObject({
      name: "GroupExistsException",
    });
    // The refused CreateGroup left the members alone.
    const { Users } = await idp.send(new ListUsersInGroupCommand({ UserPoolId: seeded.userPoolId, GroupName: "admins" }));
    expect(Users).toHaveLength(1);
  });

  it("injects throttling as TooManyRequestsException and errors as InternalErrorException", async () => {
    try {
      sandbox.faults.set("cognito-idp", { throttleRate: 1 });
      const throttled = await idp.send(new ListUserPoolsCommand({ MaxResults: 10 })).catch((e: unknown) => e);
      expect(throttled).toMatchObject({ name: "TooManyRequestsException", message: "Rate exceeded", $metadata: { httpStatusCode: 400 } });
      sandbox.faults.set("cognito-idp", { throttleRate: 0, errorRate: 1 });
      const failed = await idp.send(new ListUserPoolsCommand({ MaxResults: 10 })).catch((e: unknown) => e);
      expect(failed).toMatchObject({ name: "InternalErrorException", $metadata: { httpStatusCode: 500 } });
    } finally {
      sandbox.faults.clear();
    }
  });

  it("keeps pools, users and managed-login sessions across a restart on the same state dir", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-cognito-restart-"));
    const browser = new Browser();
    try {
      let run = await startSandbox({ port: 0, stateDir, quiet: true });
      let ids: Awaited<ReturnType<typeof seedCognito>>;
      try {
        ids = await seedCognito({ ...seedOptions, endpoint: run.url, users: [ADMIN] });
        const params = new URLSearchParams({
          client_id: ids.clientId,
          redirect_uri: CALLBACK,
          response_type: "code",
          code_challenge: pkce().challenge,
          code_challenge_method: "S256",
        });
        const form = parseForm(await (await browser.fetch(`${run.url}/login?${params}`)).text(), run.url);
        expect((await browser.post(form.action, { ...form.hidden, username: ADMIN.email, password: ADMIN.password })).status).toBe(302);
      } finally {
        await run.close();
      }
      run = await startSandbox({ port: 0, stateDir, quiet: true });
      try {
        const again = await seedCognito({ ...seedOptions, endpoint: run.url, users: [ADMIN] });
        expect(again).toMatchObject({ userPoolId: ids.userPoolId, clientId: ids.clientId, issuer: `${run.url}/${ids.userPoolId}` });
        const params = new URLSearchParams({
          client_id: ids.clientId,
          redirect_uri: CALLBACK,
          response_type: "code",
          code_challenge: pkce().challenge,
          code_challenge_method: "S256",
        });
        const res = await browser.fetch(`${run.url}/oauth2/authorize?${params}`);
        expect(res.status).toBe(302);
        expect(new URL(res.headers.get("location")!).searchParams.get("code")).toBeTruthy();
      } finally {
        await run.close();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("claims Cognito traffic and managed-login paths, and nothing of other services", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-cognito-claims-"));
    try {
      const service = await createCognito({ ...sandbox.context, stateDir });
      const request = (pathname: string, extra: Partial<EdgeRequest> = {}): EdgeRequest => ({
        raw: {} as IncomingMessage,
        url: new URL(pathname, sandbox.url),
        ...extra,
      });
      for (const pathname of [
        "/oauth2/authorize",
        "/oauth2/token",
        "/oauth2/userInfo",
        "/login",
        "/signup",
        "/logout",
        `/${seeded.userPoolId}/.well-known/openid-configuration`,
        `/${seeded.userPoolId}/.well-known/jwks.json`,
      ]) {
        expect(service.claims(request(pathname)), pathname).toBe(true);
      }
      expect(service.claims(request("/", { target: "AWSCognitoIdentityProviderService.ListUserPools" }))).toBe(true);
      expect(service.claims(request("/", { signingName: "cognito-idp" }))).toBe(true);
      for (const pathname of [
        "/",
        "/restapis",
        "/restapis/abc/stages",
        "/apikeys",
        "/usageplans",
        "/_sandbox/health",
        "/_sandbox/faults",
        "/buyer",
        "/loginx",
        "/signup/extra",
        "/prod/.well-known/openid-configuration",
      ]) {
        expect(service.claims(request(pathname)), pathname).toBe(false);
      }
      expect(service.claims(request("/", { target: "DynamoDB_20120810.ListTables", signingName: "dynamodb" }))).toBe(false);
      expect(service.claims(request("/", { target: "AWSMPMeteringService.ResolveCustomer" }))).toBe(false);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
