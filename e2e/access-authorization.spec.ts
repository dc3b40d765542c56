import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { callApi, register } from "./support";

/**
 * Every dashboard route, called by user B (and by nobody) with user A's key and plan: none may
 * see, reveal, rotate, revoke, unsubscribe or read usage of what belongs to A.
 */
type Call = { route: string; method: "GET" | "POST" | "PATCH" | "DELETE"; url: (a: Owned) => string; body?: (a: Owned) => unknown };
type Owned = { keyId: string; planId: string; email: string; userId: string; tokenId: string; endpointId: string };

const CALLS: Call[] = [
  { route: "keys", method: "GET", url: () => "/api/keys" },
  { route: "keys", method: "POST", url: () => "/api/keys", body: () => ({ name: "bob key" }) },
  { route: "keys/[keyId]", method: "DELETE", url: (a) => `/api/keys/${a.keyId}` },
  { route: "keys/[keyId]", method: "PATCH", url: (a) => `/api/keys/${a.keyId}`, body: () => ({ name: "taken over" }) },
  // An expiry would end Alice's key on Bob's say: no such key of his (404).
  { route: "keys/[keyId]", method: "PATCH", url: (a) => `/api/keys/${a.keyId}`, body: () => ({ expiresInDays: 1 }) },
  { route: "keys/[keyId]/reveal", method: "POST", url: (a) => `/api/keys/${a.keyId}/reveal` },
  { route: "keys/[keyId]/rotate", method: "POST", url: (a) => `/api/keys/${a.keyId}/rotate`, body: () => ({ grace: "none" }) },
  { route: "subscriptions", method: "GET", url: () => "/api/subscriptions" },
  { route: "subscriptions", method: "POST", url: () => "/api/subscriptions", body: (a) => ({ product: "pro", ends: [a.planId] }) },
  { route: "subscriptions/[planId]", method: "DELETE", url: (a) => `/api/subscriptions/${a.planId}` },
  { route: "usage", method: "GET", url: (a) => `/api/usage?plan=${a.planId}&days=7` },
  { route: "usage", method: "GET", url: (a) => `/api/usage?plan=${a.planId}&days=7&format=csv` },
  // Try-it names a key by id: Alice's is no key of Bob's (404, nothing sent).
  { route: "try", method: "POST", url: () => "/api/try", body: (a) => ({ api: "pets", operation: "list-pets", keyId: a.keyId }) },
  { route: "account", method: "DELETE", url: () => "/api/account", body: (a) => ({ confirm: a.email }) },
  { route: "tokens", method: "GET", url: () => "/api/tokens" },
  { route: "tokens", method: "POST", url: () => "/api/tokens", body: () => ({ name: "bob token", scopes: ["read"], expiresInDays: 7 }) },
  { route: "tokens/[tokenId]", method: "DELETE", url: (a) => `/api/tokens/${a.tokenId}` },
  { route: "notifications/preferences", method: "GET", url: () => "/api/notifications/preferences" },
  { route: "notifications/preferences", method: "PATCH", url: () => "/api/notifications/preferences", body: () => ({ email: { quota: false } }) },
  { route: "notifications/webhooks", method: "GET", url: () => "/api/notifications/webhooks" },
  { route: "notifications/webhooks", method: "POST", url: () => "/api/notifications/webhooks", body: () => ({ url: "http://127.0.0.1:9/bob" }) },
  {
    route: "notifications/webhooks/[endpointId]",
    method: "PATCH",
    url: (a) => `/api/notifications/webhooks/${a.endpointId}`,
    body: () => ({ enabled: false }),
  },
  { route: "notifications/webhooks/[endpointId]", method: "DELETE", url: (a) => `/api/notifications/webhooks/${a.endpointId}` },
  { route: "notifications/webhooks/[endpointId]/rotate", method: "POST", url: (a) => `/api/notifications/webhooks/${a.endpointId}/rotate` },
  { route: "notifications/webhooks/[endpointId]/test", method: "POST", url: (a) => `/api/notifications/webhooks/${a.endpointId}/test` },
  { route: "notifications/deliveries", method: "GET", url: () => "/api/notifications/deliveries" },
  // Public (the signed link is the credential): a link for Alice with a forged token switches nothing off, for anyone.
  { route: "notifications/unsubscribe", method: "POST", url: (a) => `/api/notifications/unsubscribe?u=${a.userId}&c=quota&t=forged` },
  { route: "admin/subscriptions", method: "GET", url: () => "/api/admin/subscriptions" },
  {
    route: "admin/subscriptions/[userId]/[planId]",
    method: "POST",
    url: (a) => `/api/admin/subscriptions/${a.userId}/${a.planId}`,
    body: () => ({ decision: "approve" }),
  },
];

async function send(request: APIRequestContext, call: Call, a: Owned) {
  const options = call.body ? { data: call.body(a) } : {};
  const url = call.url(a);
  return call.method === "GET"
    ? request.get(url)
    : call.method === "POST"
      ? request.post(url, options)
      : call.method === "PATCH"
        ? request.patch(url, options)
        : request.delete(url, options);
}

/** Route folders under app/api that the dashboard owns: each must be in the table above. */
function dashboardRoutes(dir = path.join(process.cwd(), "app/api"), prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return entry.name === "route.ts" ? [prefix.slice(1)] : [];
    return dashboardRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`);
  });
}

test("no user can reach another user's keys, subscriptions or usage through any route", async ({ browser }) => {
  test.setTimeout(120_000);
  const covered = new Set(CALLS.map((c) => c.route));
  const owned = dashboardRoutes().filter((r) => /^(keys|subscriptions|usage|account|tokens|try|notifications|admin\/subscriptions)/.test(r));
  expect(owned.filter((r) => !covered.has(r))).toEqual([]);

  const alice = await browser.newPage();
  const aliceUser = await register(alice, "alice");
  const created = await alice.request.post("/api/keys", { data: { name: "alice key" } });
  expect(created.status()).toBe(201);
  const { key, value } = (await created.json()) as { key: { id: string }; value: string };
  const subscribed = await alice.request.post("/api/subscriptions", { data: { product: "free" } });
  expect(subscribed.status()).toBe(200);
  const { subscription } = (await subscribed.json()) as { subscription: { planId: string } };
  const me = (await (await alice.request.get("/api/me")).json()) as { user: { id: string } };
  const aliceToken = await alice.request.post("/api/tokens", { data: { name: "alice agent", scopes: ["manage", "call"], expiresInDays: 7 } });
  expect(aliceToken.status()).toBe(201);
  const { token: tokenMade, value: aliceTokenValue } = (await aliceToken.json()) as { token: { id: string }; value: string };
  const endpointMade = await alice.request.post("/api/notifications/webhooks", { data: { url: "http://127.0.0.1:9/alice" } });
  expect(endpointMade.status()).toBe(201);
  const { endpoint: aliceEndpoint, secret: aliceSecret } = (await endpointMade.json()) as { endpoint: { id: string }; secret: string };
  const a: Owned = {
    keyId: key.id,
    planId: subscription.planId,
    email: aliceUser.email,
    userId: me.user.id,
    tokenId: tokenMade.id,
    endpointId: aliceEndpoint.id,
  };
  expect(await callApi("Pets API", value)).toBe(200);

  const bob = await browser.newPage();
  await register(bob, "bob");
  const anonymous = await browser.newContext();
  for (const call of CALLS) {
    const label = `${call.method} ${call.url(a)}`;
    const asBob = await send(bob.request, call, a);
    const bobText = await asBob.text();
    expect(bobText, label).not.toContain(value);
    expect(bobText, label).not.toContain(aliceSecret);
    if (call.route === "keys" && call.method === "GET") expect(bobText, label).not.toContain(a.keyId);
    else if (call.route === "notifications/webhooks" || call.route === "notifications/deliveries") {
      expect(asBob.status(), label).toBe(call.method === "POST" ? 201 : 200); // Bob's own endpoints and log
      expect(bobText, label).not.toContain(a.endpointId);
    } else if (call.route === "notifications/preferences")
      expect(asBob.status(), label).toBe(200); // Bob's own
    else if (call.route === "notifications/unsubscribe") expect(asBob.status(), label).toBe(400);
    else if (call.route === "tokens" && call.method === "GET") expect(bobText, label).not.toContain(a.tokenId);
    else if (call.route === "tokens")
      expect(asBob.status(), label).toBe(201); // Bob's own token
    else if (call.route === "subscriptions" && call.method === "GET") expect(bobText, label).not.toContain(a.planId);
    else if (call.route === "keys" || call.route === "subscriptions")
      expect(asBob.status(), label).toBeLessThan(300); // acts on Bob's own things only
    else if (call.route === "account") expect(asBob.status(), label).toBe(400);
    else if (call.route.startsWith("admin/")) expect(asBob.status(), label).toBe(403);
    else expect(asBob.status(), label).toBe(404);

    const asNobody = await send(anonymous.request, call, a);
    expect(asNobody.status(), label).toBe(call.route === "notifications/unsubscribe" ? 400 : 401);
  }

  // Bob's own portal token (every scope) reaches none of Alice's things through the Developer API or MCP.
  const bobToken = (await (await bob.request.post("/api/tokens", { data: { name: "bob agent", scopes: ["manage", "call"], expiresInDays: 7 } })).json()) as {
    value: string;
  };
  const bearer = { Authorization: `Bearer ${bobToken.value}` };
  const v1: [string, () => Promise<{ status(): number; text(): Promise<string> }>, number][] = [
    ["list keys", () => anonymous.request.get("/api/v1/keys", { headers: bearer }), 200],
    ["rename Alice's key", () => anonymous.request.patch(`/api/v1/keys/${a.keyId}`, { headers: bearer, data: { name: "taken" } }), 404],
    ["expire Alice's key", () => anonymous.request.patch(`/api/v1/keys/${a.keyId}`, { headers: bearer, data: { expiresInDays: 1 } }), 404],
    ["revoke Alice's key", () => anonymous.request.delete(`/api/v1/keys/${a.keyId}`, { headers: bearer }), 404],
    ["reveal Alice's key", () => anonymous.request.post(`/api/v1/keys/${a.keyId}/reveal`, { headers: bearer }), 404],
    ["rotate Alice's key", () => anonymous.request.post(`/api/v1/keys/${a.keyId}/rotate`, { headers: bearer, data: { grace: "none" } }), 404],
    ["end Alice's plan", () => anonymous.request.delete(`/api/v1/subscriptions/${a.planId}`, { headers: bearer }), 404],
    ["read Alice's usage", () => anonymous.request.get(`/api/v1/usage?plan=${a.planId}&days=7`, { headers: bearer }), 404],
  ];
  for (const [label, call, status] of v1) {
    const response = await call();
    expect(response.status(), label).toBe(status);
    const text = await response.text();
    expect(text, label).not.toContain(value);
    expect(text, label).not.toContain(a.keyId);
  }
  const mcp = async (name: string, args: Record<string, unknown>) => {
    const response = await anonymous.request.post("/mcp", {
      headers: { ...bearer, accept: "application/json, text/event-stream" },
      data: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } },
    });
    expect(response.status()).toBe(200);
    return (await response.json()) as { result: { isError?: boolean; content: { text: string }[] } };
  };
  for (const [name, args] of [
    ["reveal_key", { keyId: a.keyId }],
    ["call_operation", { api: "pets", operation: "list-pets", keyId: a.keyId }],
  ] as const) {
    const { result } = await mcp(name, args);
    expect(result.isError, name).toBe(true);
    expect(JSON.stringify(result), name).not.toContain(value);
  }
  // Alice's session cookie is no credential for the Developer API: only a token is.
  expect((await alice.request.get("/api/v1/keys")).status()).toBe(401);
  expect((await alice.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${aliceTokenValue}` } })).status()).toBe(200);

  // After all that, Alice's key, plan and account are as she left them.
  expect(await callApi("Pets API", value)).toBe(200);
  expect(await callApi("Weather API", value)).toBe(403);
  const revealed = await alice.request.post(`/api/keys/${a.keyId}/reveal`);
  expect(await revealed.json()).toEqual({ value });
  const subs = (await (await alice.request.get("/api/subscriptions")).json()) as { subscriptions: { planId: string; state: string }[] };
  expect(subs.subscriptions).toEqual([expect.objectContaining({ planId: a.planId, state: "active" })]);
  // Her endpoint is still hers and enabled, and her quota emails are still on.
  const hooks = (await (await alice.request.get("/api/notifications/webhooks")).json()) as { endpoints: { id: string; state: string }[] };
  expect(hooks.endpoints).toEqual([expect.objectContaining({ id: a.endpointId, state: "enabled" })]);
  const prefs = (await (await alice.request.get("/api/notifications/preferences")).json()) as { preferences: { email: { quota: boolean } } };
  expect(prefs.preferences.email.quota).toBe(true);

  // A cross-site form post is refused even with Alice's cookie.
  const crossSite = await alice.request.post("/api/keys", { data: { name: "csrf" }, headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
  await anonymous.close();
});

test("bad input gets a clear 4xx and changes nothing", async ({ page }) => {
  await register(page, "careless");
  const cases: [string, () => Promise<{ status(): number; json(): Promise<unknown> }>, number][] = [
    ["non-JSON body", () => page.request.post("/api/keys", { data: "not json", headers: { "content-type": "application/json" } }), 400],
    ["empty name", () => page.request.post("/api/keys", { data: { name: "  " } }), 400],
    ["name with markup", () => page.request.post("/api/keys", { data: { name: "<script>" } }), 400],
    ["rename to an empty name", () => page.request.patch("/api/keys/abc123", { data: { name: "" } }), 400],
    ["rename a key that isn't there", () => page.request.patch("/api/keys/abc123", { data: { name: "fine" } }), 404],
    ["unknown grace", () => page.request.post("/api/keys/abc123/rotate", { data: { grace: "forever" } }), 400],
    ["bad key id", () => page.request.post("/api/keys/..%2F..%2Fetc/reveal"), 400],
    ["unknown product", () => page.request.post("/api/subscriptions", { data: { product: "nope" } }), 404],
    ["a switch naming a malformed plan", () => page.request.post("/api/subscriptions", { data: { product: "pro", ends: ["../free"] } }), 400],
    ["bad usage range", () => page.request.get("/api/usage?plan=abc&days=12"), 400],
    ["usage of an unsubscribed plan", () => page.request.get("/api/usage?plan=abc&days=7"), 404],
  ];
  for (const [label, send, status] of cases) {
    const response = await send();
    expect(response.status(), label).toBe(status);
    expect(await response.json(), label).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  }
  const keys = (await (await page.request.get("/api/keys")).json()) as { keys: unknown[] };
  expect(keys.keys).toEqual([]);
});
