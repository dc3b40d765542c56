import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { expect, test } from "@playwright/test";
import { db, register, SANDBOX_URL, signIn, TABLE, USERS } from "./support";

/** What an owner runs as `aws cognito-idp …`, against the sandbox. */
const idp = new CognitoIdentityProviderClient({
  endpoint: SANDBOX_URL,
  region: "us-east-1",
  credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
});
const userPool = async () => (await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools![0]!.Id!;

/** Lets the recheck interval (5 minutes) pass for a user's sessions, by dating their last check back. */
async function letRecheckIntervalPass(email: string) {
  const { Items = [] } = await db.send(
    new QueryCommand({ TableName: TABLE, IndexName: "GSI1", KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeValues: { ":pk": `USER#${email}` } }),
  );
  const key = { pk: String(Items[0]!.pk), sk: String(Items[0]!.sk) };
  await db.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: key,
      UpdateExpression: "SET cognitoCheckedAt = :then",
      ExpressionAttributeValues: { ":then": Date.now() - 5 * 60_000 - 1000 },
    }),
  );
}

test.describe("security", () => {
  test("every page carries the security headers and the CSP holds (no violations)", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => /Content Security Policy|Refused to/.test(message.text()) && violations.push(message.text()));
    const response = await page.goto("/");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("object-src 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    // Served over http here, so no HSTS (it is sent when AUTH_URL is https).
    expect(headers["strict-transport-security"]).toBeUndefined();
    await signIn(page, USERS.developer);
    await page.goto("/account");
    // The theme toggle is a hydrated client component: it only works if Next's scripts ran under the CSP.
    await page.getByRole("button", { name: /theme/ }).click();
    await expect(page.locator("html")).toHaveClass(/light|dark/);
    expect(violations).toEqual([]);
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
    await signIn(page, USERS.developer);
    const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  });

  test("a tampered session cookie is refused", async ({ page, context }) => {
    await signIn(page, USERS.developer);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name.endsWith("authjs.session-token"))!;
    await context.addCookies([{ ...session, value: `${session.value.slice(0, -4)}abcd` }]);
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a callback with a foreign state is refused", async ({ page }) => {
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await expect(page.getByLabel("Password")).toBeVisible();
    // An attacker's callback: a code and state that this browser's sign-in did not start.
    await page.goto("/api/auth/callback/cognito?code=attacker-code&state=attacker-state");
    await expect(page).toHaveURL(/\/signin\?error=/);
    await expect(page.getByTestId("signin-error")).toContainText("could not complete your sign-in");
    expect((await page.request.get("/api/me")).status()).toBe(401);
  });

  test("an open redirect through callbackUrl is refused", async ({ page }) => {
    await page.goto("/signin?callbackUrl=https://evil.example/steal");
    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await page.getByLabel("Email or username").fill(USERS.developer.email);
    await page.getByLabel("Password").fill(USERS.developer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("account-name")).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
    // Auth.js's own endpoint refuses a foreign callbackUrl as well.
    const response = await page.request.get("/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example", { maxRedirects: 0 });
    expect(response.headers().location ?? "").not.toContain("evil.example");
    // A signed-in visitor to /signin is redirected at once: the target is checked after normalization.
    for (const trick of ["/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/%5cevil.example", "/%09/evil.example", "//evil.example"]) {
      const redirect = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(trick)}`, { maxRedirects: 0 });
      expect(redirect.status(), trick).toBe(307);
      const location = redirect.headers().location ?? "";
      const site = test.info().project.use.baseURL!;
      expect(new URL(location, site).host, `${trick} → ${location}`).toBe(new URL(site).host);
      expect(location, trick).not.toContain("evil.example");
    }
  });

  test("state-changing API requests from another site are refused", async ({ page }) => {
    await signIn(page, USERS.developer);
    const response = await page.request.post("/api/me", { headers: { origin: "https://evil.example" } });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
  });

  test("changes made directly in Cognito reach a live session at its next check", async ({ page }) => {
    const user = await register(page, "cognito-follow");
    // Only this test's requests from here: a request from the open dashboard (a prefetch) could win a
    // check's claim, and the one asserted on would then still see the session as it was, by design.
    await page.goto("about:blank");
    expect((await page.request.get("/api/admin/users")).status()).toBe(403);

    // aws cognito-idp admin-add-user-to-group … admins: applies once the interval has passed, no new sign-in.
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: await userPool(), Username: user.email, GroupName: "admins" }));
    expect((await page.request.get("/api/admin/users")).status()).toBe(403);
    await letRecheckIntervalPass(user.email);
    expect((await page.request.get("/api/admin/users")).status()).toBe(200);

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: await userPool(), Username: user.email, GroupName: "admins" }));
    await letRecheckIntervalPass(user.email);
    expect((await page.request.get("/api/admin/users")).status()).toBe(403);

    // aws cognito-idp admin-disable-user: the session ends.
    await idp.send(new AdminDisableUserCommand({ UserPoolId: await userPool(), Username: user.email }));
    await letRecheckIntervalPass(user.email);
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/signin/);
  });
});
