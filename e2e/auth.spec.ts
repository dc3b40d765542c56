import { expect, test } from "@playwright/test";
import { deleteSessions, sessionsOf, signIn, signOut, USERS } from "./support";

test.describe("accounts", () => {
  test("register through the hosted pages, see my name, sign out and stay signed out", async ({ page }) => {
    const email = `new-${Date.now()}@example.com`;
    await page.goto("/");
    await page.getByRole("link", { name: "Register" }).click();
    await expect(page.getByRole("heading", { name: /create/i })).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Full name").fill("Nova Newcomer");
    await page.getByLabel("Password", { exact: true }).fill("Newcomer-pass-1");
    await page.getByLabel("Confirm password").fill("Newcomer-pass-1");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("account-name")).toHaveText("Nova Newcomer");
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

    await signOut(page);
    await page.reload();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("account-name")).toHaveCount(0);
    // Sign-out ended the Cognito session too: signing in asks for the password again.
    await page.goto("/signin");
    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await expect(page.getByLabel("Password")).toBeVisible();
  });

  test("a protected page sends me to sign in and back", async ({ page }) => {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
    await page.getByRole("button", { name: "Continue to sign in" }).click();
    await page.getByLabel("Email or username").fill(USERS.developer.email);
    await page.getByLabel("Password").fill(USERS.developer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
    await expect(page.getByText("This browser")).toBeVisible();
  });
});

test.describe("roles", () => {
  test("the seeded admin sees the Admin link and page", async ({ page }) => {
    await signIn(page, USERS.admin);
    await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
    await page.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
    const api = await page.request.get("/api/admin/config");
    expect(api.status()).toBe(200);
    expect(await api.json()).toMatchObject({ table: "portico", region: "us-east-1" });
  });

  test("a regular user has no Admin link and gets 403 on admin routes", async ({ page }) => {
    await signIn(page, USERS.developer);
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: /don’t have access/ })).toBeVisible();
    const api = await page.request.get("/api/admin/config");
    expect(api.status()).toBe(403);
    expect(await api.json()).toEqual({ error: { code: "forbidden", message: "This needs an administrator." } });
    const me = await page.request.get("/api/me");
    expect(await me.json()).toMatchObject({ user: { email: USERS.developer.email, groups: [] }, isAdmin: false });
  });

  test("anonymous API calls get 401 JSON", async ({ request }) => {
    for (const path of ["/api/me", "/api/admin/config"]) {
      const response = await request.get(path);
      expect(response.status()).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
    }
  });
});

test.describe("sessions", () => {
  test("a session deleted in DynamoDB is signed out on the next request", async ({ page }) => {
    await signIn(page, USERS.developer);
    expect((await sessionsOf(USERS.developer.email)).length).toBeGreaterThan(0);
    expect(await deleteSessions(USERS.developer.email)).toBeGreaterThan(0);
    const reloaded = await page.reload();
    // A real redirect from the server (the session check sits above the dashboard's loading state).
    expect(reloaded?.request().redirectedFrom()?.url()).toMatch(/\/dashboard$/);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    expect((await page.request.get("/api/me")).status()).toBe(401);
  });

  test("I can sign out another browser from my account page", async ({ browser }) => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    const a = await first.newPage();
    const b = await second.newPage();
    await signIn(a, USERS.admin);
    await signIn(b, USERS.admin);
    await a.goto("/account");
    await expect(a.getByText("Another browser")).toHaveCount((await sessionsOf(USERS.admin.email)).length - 1);
    await a.getByRole("button", { name: "Sign out all other sessions" }).click();
    await expect(a.getByText("Another browser")).toHaveCount(0);
    expect((await b.request.get("/api/me")).status()).toBe(401);
    expect((await a.request.get("/api/me")).status()).toBe(200);
    await first.close();
    await second.close();
  });
});
