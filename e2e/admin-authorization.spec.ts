import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { register, signIn, USERS } from "./support";

/**
 * Every admin page, route handler and server action, called by a signed-in developer (403, or the
 * 403 page) and by nobody (401, or a redirect to sign-in) — and afterwards nothing has changed.
 * The table must cover every admin route file and method, every page under app/admin, and every
 * server action that asks for an admin: a new one fails this test until it's added.
 */
type Ids = { userId: string; planId: string; email: string; tokenId: string; teamId: string; teamSlug: string };
type Call = { route: string; method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: (ids: Ids) => string; body?: (ids: Ids) => unknown };

const ROUTES: Call[] = [
  { route: "admin/config", method: "GET", url: () => "/api/admin/config" },
  { route: "admin/overview", method: "GET", url: () => "/api/admin/overview" },
  { route: "admin/users", method: "GET", url: () => "/api/admin/users?q=a" },
  { route: "admin/teams", method: "GET", url: () => "/api/admin/teams?q=a" },
  { route: "admin/teams/[teamId]", method: "GET", url: (i) => `/api/admin/teams/${i.teamId}` },
  { route: "admin/teams/[teamId]", method: "POST", url: (i) => `/api/admin/teams/${i.teamId}`, body: () => ({ action: "disable" }) },
  { route: "admin/teams/[teamId]", method: "DELETE", url: (i) => `/api/admin/teams/${i.teamId}`, body: (i) => ({ confirm: i.teamSlug }) },
  { route: "admin/teams/[teamId]/owners", method: "POST", url: (i) => `/api/admin/teams/${i.teamId}/owners`, body: () => ({ email: "intruder@example.com" }) },
  { route: "admin/users/[userId]", method: "GET", url: (i) => `/api/admin/users/${i.userId}` },
  { route: "admin/users/[userId]", method: "POST", url: (i) => `/api/admin/users/${i.userId}`, body: () => ({ action: "disable" }) },
  { route: "admin/users/[userId]", method: "DELETE", url: (i) => `/api/admin/users/${i.userId}`, body: () => ({ confirm: "victim" }) },
  { route: "admin/users/[userId]/tokens", method: "GET", url: (i) => `/api/admin/users/${i.userId}/tokens` },
  { route: "admin/users/[userId]/tokens", method: "DELETE", url: (i) => `/api/admin/users/${i.userId}/tokens` },
  { route: "admin/users/[userId]/tokens/[tokenId]", method: "DELETE", url: (i) => `/api/admin/users/${i.userId}/tokens/${i.tokenId}` },
  { route: "admin/registration", method: "GET", url: () => "/api/admin/registration" },
  { route: "admin/registration", method: "PUT", url: () => "/api/admin/registration", body: () => ({ mode: "invite" }) },
  { route: "admin/invites", method: "POST", url: () => "/api/admin/invites", body: () => ({ email: "intruder-invite@example.com" }) },
  { route: "admin/invites/[email]", method: "POST", url: (i) => `/api/admin/invites/${encodeURIComponent(i.email)}` },
  { route: "admin/invites/[email]", method: "DELETE", url: (i) => `/api/admin/invites/${encodeURIComponent(i.email)}` },
  { route: "admin/subscriptions", method: "GET", url: () => "/api/admin/subscriptions" },
  {
    route: "admin/subscriptions/[userId]/[planId]",
    method: "POST",
    url: (i) => `/api/admin/subscriptions/${i.userId}/${i.planId}`,
    body: () => ({ decision: "reject", reason: "no" }),
  },
  { route: "admin/audit", method: "GET", url: () => "/api/admin/audit" },
  { route: "admin/audit", method: "GET", url: () => "/api/admin/audit?format=csv" },
  { route: "admin/catalog", method: "GET", url: () => "/api/admin/catalog" },
  { route: "admin/catalog", method: "PATCH", url: () => "/api/admin/catalog", body: (i) => ({ planId: i.planId, published: false }) },
  { route: "admin/catalog/refresh", method: "POST", url: () => "/api/admin/catalog/refresh" },
];

const PAGES: { page: string; url: (ids: Ids) => string }[] = [
  { page: "", url: () => "/admin" },
  { page: "users", url: () => "/admin/users?q=a" },
  { page: "users/[userId]", url: (i) => `/admin/users/${i.userId}` },
  { page: "teams", url: () => "/admin/teams?q=a" },
  { page: "teams/[teamId]", url: (i) => `/admin/teams/${i.teamSlug}` },
  { page: "registration", url: () => "/admin/registration" },
  { page: "approvals", url: () => "/admin/approvals" },
  { page: "catalog", url: () => "/admin/catalog" },
  { page: "audit", url: () => "/admin/audit" },
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** `admin/...` route folders under app/api, each with the methods its route.ts exports. */
function adminRouteMethods(dir = path.join(process.cwd(), "app/api/admin"), prefix = "admin"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return adminRouteMethods(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    if (entry.name !== "route.ts") return [];
    const source = readFileSync(path.join(dir, entry.name), "utf8");
    return METHODS.filter((m) => new RegExp(`export (const|async function) ${m}\\b`).test(source)).map((m) => `${m} ${prefix}`);
  });
}

function adminPages(dir = path.join(process.cwd(), "app/admin"), prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return adminPages(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    return entry.name === "page.tsx" ? [prefix.slice(1)] : [];
  });
}

/** Server actions that require an admin (a "use server" file calling assertCaller("admin")). */
function adminActions(dir = path.join(process.cwd(), "app")): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) return [];
    const source = readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    return source.includes('"use server"') && source.includes('assertCaller("admin")')
      ? [path.relative(process.cwd(), path.join(entry.parentPath, entry.name))]
      : [];
  });
}

async function send(request: APIRequestContext, call: Call, ids: Ids) {
  const options = { ...(call.body ? { data: call.body(ids) } : {}), maxRedirects: 0 };
  return request.fetch(call.url(ids), { method: call.method, ...options });
}

test("every admin page, route and action refuses non-admins and anonymous callers, and nothing changes", async ({ browser }) => {
  test.setTimeout(120_000);
  const covered = new Set(ROUTES.map((c) => `${c.method} ${c.route}`));
  expect(adminRouteMethods().filter((r) => !covered.has(r))).toEqual([]);
  expect(adminPages().filter((p) => !PAGES.some((q) => q.page === p))).toEqual([]);
  // Admin work goes through route handlers (audited, one error path), not server actions.
  expect(adminActions()).toEqual([]);

  // A victim with a key and a pending request, and an admin to look at the state before and after.
  const victim = await browser.newPage();
  const victimUser = await register(victim, "victim");
  expect((await victim.request.post("/api/keys", { data: { name: "victim key" } })).status()).toBe(201);
  const requested = await victim.request.post("/api/subscriptions", { data: { product: "weather-basic" } });
  const { subscription } = (await requested.json()) as { subscription: { planId: string; state: string } };
  expect(subscription.state).toBe("pending");
  const victimId = ((await (await victim.request.get("/api/me")).json()) as { user: { id: string } }).user.id;
  const tokenCreated = await victim.request.post("/api/tokens", { data: { name: "victim token", scopes: ["read"], expiresInDays: 7 } });
  expect(tokenCreated.status()).toBe(201);
  const tokenId = ((await tokenCreated.json()) as { token: { id: string } }).token.id;
  // And a team of theirs, for the admin team routes to refuse to touch.
  const teamSlug = `victims-${Date.now()}`;
  const teamMade = await victim.request.post("/api/teams", { data: { name: "Victims", slug: teamSlug } });
  expect(teamMade.status()).toBe(201);
  const teamId = ((await teamMade.json()) as { team: { id: string } }).team.id;

  const admin = await browser.newPage();
  await signIn(admin, USERS.admin);
  const invited = `authz-invite-${Date.now()}@example.com`;
  expect((await admin.request.post("/api/admin/invites", { data: { email: invited } })).status()).toBe(201);
  const ids: Ids = { userId: victimId, planId: subscription.planId, email: invited, tokenId, teamId, teamSlug };
  const snapshot = async () => {
    const [user, registration, catalog, audit, tokens, team] = await Promise.all(
      [
        `/api/admin/users/${victimId}`,
        "/api/admin/registration",
        "/api/admin/catalog",
        "/api/admin/audit",
        `/api/admin/users/${victimId}/tokens`,
        `/api/admin/teams/${teamId}`,
      ].map(async (url) => {
        const response = await admin.request.get(url);
        expect(response.status(), url).toBe(200);
        return response.json() as Promise<Record<string, unknown>>;
      }),
    );
    const profile = user!.profile as Record<string, unknown>;
    return {
      user: { status: profile.status, admin: profile.admin, keys: user!.keys, subscriptions: user!.subscriptions },
      registration,
      catalog,
      newestAudit: (audit!.entries as { id: string }[])[0]?.id,
      tokens: tokens!.tokens,
      team,
    };
  };
  // Signed in before the snapshot: a first sign-in creates the account (and its audit entry).
  const developer = await browser.newPage();
  await signIn(developer, USERS.developer);
  const before = await snapshot();

  const anonymous = await browser.newContext();
  for (const call of ROUTES) {
    const label = `${call.method} ${call.url(ids)}`;
    const asDeveloper = await send(developer.request, call, ids);
    expect(asDeveloper.status(), label).toBe(403);
    expect(await asDeveloper.json(), label).toEqual({ error: { code: "forbidden", message: "This needs an administrator." } });
    const asNobody = await send(anonymous.request, call, ids);
    expect(asNobody.status(), label).toBe(401);
  }
  for (const { url } of PAGES) {
    const target = url(ids);
    const asDeveloper = await developer.request.get(target, { maxRedirects: 0 });
    expect(asDeveloper.status(), target).toBe(403);
    expect(await asDeveloper.text(), target).not.toContain(victimUser.email);
    const asNobody = await anonymous.request.get(target, { maxRedirects: 0 });
    expect(asNobody.status(), target).toBe(307);
    expect(asNobody.headers().location, target).toContain("/signin?callbackUrl=%2Fadmin");
  }

  expect(await snapshot()).toEqual(before);
  await admin.request.delete(`/api/admin/invites/${encodeURIComponent(invited)}`);
  await anonymous.close();
});
