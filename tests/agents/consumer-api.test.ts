import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * The consumer API (/api/v1, issue #19) through its real route handlers against the sandbox, with
 * portal tokens: scopes, refusals that change nothing, per-token limits, audit attribution, admin
 * revocation — and its OpenAPI document in catalog/ naming exactly the routes that exist.
 */
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => ({ unstable_cache: <F>(fn: F) => fn, revalidateTag: () => {}, revalidatePath: () => {} }));

const V1 = path.join(process.cwd(), "app/api/v1");
const SPEC = path.join(process.cwd(), "catalog/apis/developer-api.yaml");
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

type RouteModule = Partial<Record<(typeof METHODS)[number], (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>>>;

/** Every route file under app/api/v1, as the OpenAPI path it serves (`[keyId]` → `{keyId}`). */
function routeFiles(dir = V1, prefix = ""): { apiPath: string; file: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return routeFiles(path.join(dir, entry.name), `${prefix}/${entry.name.replace(/^\[(.+)\]$/, "{$1}")}`);
    return entry.name === "route.ts" ? [{ apiPath: prefix || "/", file: path.join(dir, entry.name) }] : [];
  });
}

describe("the consumer API", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let tokens: typeof import("@/lib/tokens");
  let listAudit: typeof import("@/lib/audit").listAudit;
  const routes = new Map<string, RouteModule>();

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    tokens = await import("@/lib/tokens");
    ({ listAudit } = await import("@/lib/audit"));
    for (const { apiPath, file } of routeFiles()) routes.set(apiPath, (await import(file)) as RouteModule);
  });
  afterEach(() => {
    delete process.env.PORTICO_LIMITS;
  });
  afterAll(() => env?.stop());

  let ipCounter = 0;
  /** Calls `METHOD /api/v1<path>` through its route handler, from an address no other call used. */
  async function api(method: (typeof METHODS)[number], apiPath: string, options: { token?: string; body?: unknown; ip?: string } = {}) {
    const [pathname, search = ""] = apiPath.split("?") as [string, string?];
    const match = [...routes.keys()].map((template) => ({ template, params: matchPath(template, pathname) })).find((m) => m.params);
    if (!match) throw new Error(`no route for ${apiPath}`);
    const handler = routes.get(match.template)![method];
    if (!handler) throw new Error(`${method} ${match.template} is not exported`);
    const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? `10.19.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}` };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const request = new NextRequest(`http://localhost:3000/api/v1${pathname}${search ? `?${search}` : ""}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) } : {}),
    });
    const response = await handler(request, { params: Promise.resolve(match.params!) });
    const text = await response.text();
    // The tests read the JSON they expect; a wrong shape fails their assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  }

  const token = async (user: { id: string; email: string }, scopes: ("read" | "manage" | "call")[]) =>
    (await tokens.createToken(user, { name: `api ${scopes.join("+")}`, scopes, expiresInDays: 30 })).value;

  it("documents exactly the routes it serves, with their methods", async () => {
    const spec = parseYaml(readFileSync(SPEC, "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths)
      .flatMap(([p, item]) =>
        Object.keys(item)
          .filter((k) => k !== "parameters")
          .map((m) => `${m.toUpperCase()} ${p}`),
      )
      .sort();
    const served = [...routes].flatMap(([p, module]) => METHODS.filter((m) => module[m]).map((m) => `${m} ${p}`)).sort();
    expect(served).toEqual(documented);
    expect(served.length).toBeGreaterThanOrEqual(13);
  });

  it("answers a read token with the owner's own things, and refuses changes for want of scope", async () => {
    const dev = await registerUser(env, "v1-reader");
    const read = await token(dev, ["read"]);
    const me = await api("GET", "/me", { token: read });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: dev.id, email: dev.email });
    expect(me.body.token).toMatchObject({ scopes: ["read"] });
    expect(JSON.stringify(me.body)).not.toContain(read.split(".")[2]);
    expect((await api("GET", "/keys", { token: read })).body).toEqual({ keys: [], maxKeys: expect.any(Number) });
    const products = await api("GET", "/products", { token: read });
    expect(products.body.products.map((p: { slug: string }) => p.slug)).toEqual(expect.arrayContaining(["free", "pro", "weather-basic"]));
    const apis = await api("GET", "/apis", { token: read });
    expect(apis.body.apis.map((a: { slug: string }) => a.slug)).toEqual(expect.arrayContaining(["pets", "weather", "developer-api"]));

    const refused = await api("POST", "/keys", { token: read, body: { name: "nope" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/needs the "Manage keys and subscriptions" scope/);
    expect(await env.lib.listKeys(dev.id)).toEqual([]);
  });

  it("manages keys and subscriptions with a manage token, each change audited as the person via the token", async () => {
    const dev = await registerUser(env, "v1-manager");
    const manage = await token(dev, ["manage"]);
    const tokenId = manage.split(".")[1];
    const subscribed = await api("POST", "/subscriptions", { token: manage, body: { product: "free" } });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body.subscription).toMatchObject({ productSlug: "free", state: "active" });
    const created = await api("POST", "/keys", { token: manage, body: { name: "ci" } });
    expect(created.status).toBe(201);
    expect(created.body.value).toMatch(/^[A-Za-z0-9]{20,}$/);
    const keyId = created.body.key.id as string;
    expect(await env.callApi("pets", created.body.value)).toBe(200);

    const revealed = await api("POST", `/keys/${keyId}/reveal`, { token: manage });
    expect(revealed.body.value).toBe(created.body.value);
    const renamed = await api("PATCH", `/keys/${keyId}`, { token: manage, body: { name: "ci-2" } });
    expect(renamed.body.key.name).toBe("ci-2");
    const rotated = await api("POST", `/keys/${keyId}/rotate`, { token: manage, body: { grace: "none" } });
    expect(rotated.status).toBe(200);
    const usage = await api("GET", `/usage?plan=${env.target("free").planId}&days=7`, { token: manage });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ productSlug: "free", range: 7 });
    expect((await api("DELETE", `/keys/${rotated.body.key.id}`, { token: manage })).status).toBe(204);
    expect((await api("DELETE", `/subscriptions/${env.target("free").planId}`, { token: manage })).status).toBe(204);

    const { entries } = await listAudit({ userId: dev.id, type: "key" });
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const entry of entries) expect(entry.actor).toMatchObject({ kind: "user", id: dev.id, token: tokenId });
    const used = await listAudit({ userId: dev.id, type: "token.used" });
    expect(used.entries).toHaveLength(1); // once per hour per token, however many requests
    expect((await tokens.listTokens(dev.id)).find((t) => t.id === tokenId)?.lastUsedAt).toBeDefined();
  });

  it("refuses bad input with a 400 that changes nothing", async () => {
    const dev = await registerUser(env, "v1-bad-input");
    const manage = await token(dev, ["manage"]);
    for (const body of [{ name: "" }, { name: "x".repeat(200) }, { name: "<script>" }, "not json", { nom: "typo" }]) {
      const response = await api("POST", "/keys", { token: manage, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe("bad_request");
    }
    expect((await api("POST", "/keys/bad!id/rotate", { token: manage, body: { grace: "none" } })).status).toBe(400);
    expect((await api("GET", "/usage?plan=&days=8", { token: manage })).status).toBe(400);
    expect(await env.lib.listKeys(dev.id)).toEqual([]);
  });

  it("turns away a request without a valid token with 401 and WWW-Authenticate", async () => {
    for (const token of [undefined, "ptk_nope", "Basic abc"]) {
      const response = await api("GET", "/keys", token ? { token } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="portico"');
    }
  });

  it("limits each token on its own (limits.portal.agents): 429 with Retry-After, and another token goes on", async () => {
    process.env.PORTICO_LIMITS = JSON.stringify({ portal: { agents: { perToken: { requests: 3, seconds: 600 } } } });
    const dev = await registerUser(env, "v1-limited");
    const [first, second] = [await token(dev, ["read"]), await token(dev, ["read"])];
    for (let i = 0; i < 3; i++) expect((await api("GET", "/keys", { token: first })).status).toBe(200);
    const refused = await api("GET", "/keys", { token: first });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.error.message).toMatch(/with this token/);
    expect((await api("GET", "/keys", { token: second })).status).toBe(200);
  });

  it("stops a token at once when the owner or an admin revokes it", async () => {
    const dev = await registerUser(env, "v1-revoked");
    const [one, two] = [await token(dev, ["read"]), await token(dev, ["read"])];
    await tokens.revokeToken(dev, one.split(".")[1]!);
    expect((await api("GET", "/me", { token: one })).status).toBe(401);
    expect((await api("GET", "/me", { token: two })).status).toBe(200);
    expect(await tokens.revokeAllTokens(dev)).toBe(1);
    expect((await api("GET", "/me", { token: two })).status).toBe(401);
    const { entries } = await listAudit({ userId: dev.id, type: "token" });
    expect(entries.map((e) => e.type)).toEqual(expect.arrayContaining(["token.created", "token.revoked", "token.revoked-all"]));
    await expect(tokens.revokeToken(dev, one.split(".")[1]!)).rejects.toThrow(/already been revoked/);
  });

  it("ends a user's tokens for good when an admin disables them or revokes their sessions", async () => {
    const { applyUserAction } = await import("@/lib/users");
    const dev = await registerUser(env, "v1-disabled");
    const before = await token(dev, ["read"]);
    await applyUserAction(dev.id, "disable", { id: "an-admin" });
    expect((await api("GET", "/me", { token: before })).status).toBe(401);
    await applyUserAction(dev.id, "enable", { id: "an-admin" });
    // Enabling the account doesn't bring back what acted for it while it may have been compromised.
    expect((await api("GET", "/me", { token: before })).status).toBe(401);
    expect(await tokens.listTokens(dev.id)).toEqual([]);
    const after = await token(dev, ["read"]);
    expect((await api("GET", "/me", { token: after })).status).toBe(200);
    await applyUserAction(dev.id, "revoke-sessions", { id: "an-admin" });
    expect((await api("GET", "/me", { token: after })).status).toBe(401);
  });

  it("keeps at most MAX_TOKENS_PER_USER live tokens, even when created at once", async () => {
    const dev = await registerUser(env, "v1-many");
    const results = await Promise.allSettled(Array.from({ length: tokens.MAX_TOKENS_PER_USER + 4 }, () => token(dev, ["read"])));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(tokens.MAX_TOKENS_PER_USER);
    expect(await tokens.listTokens(dev.id)).toHaveLength(tokens.MAX_TOKENS_PER_USER);
  });
});

/** The path's parameters if it fits the template (`/keys/{keyId}`), else undefined. */
function matchPath(template: string, actual: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), "([^/]+)"))}$`);
  const match = pattern.exec(actual);
  return match ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)])) : undefined;
}
