import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * The MCP server (issue #19), driven by the official SDK's own client over Streamable HTTP against
 * the sandbox: the client's requests go to the real route handler (app/mcp/route.ts), which reads
 * the sandbox's table and calls its API Gateway data plane. Stubbed: Next's data cache, and Auth.js
 * (a token, not a session, says who is calling here).
 */
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => {
  // Next's data cache in miniature (by key parts and arguments), so a warm view reads what the server's would.
  const entries = new Map<string, Promise<unknown>>();
  const unstable_cache =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyParts: string[]) =>
    (...args: A): Promise<R> => {
      const key = JSON.stringify([keyParts, args]);
      if (!entries.has(key))
        entries.set(
          key,
          fn(...args).catch((error: unknown) => (entries.delete(key), Promise.reject(error))),
        );
      return entries.get(key) as Promise<R>;
    };
  return { unstable_cache, revalidateTag: () => entries.clear(), revalidatePath: () => {} };
});

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;

describe("the MCP server", () => {
  let env: Env;
  let route: typeof import("@/app/mcp/route");
  let tokens: typeof import("@/lib/tokens");
  let developer: { id: string; email: string };
  let keyId: string;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    route = await import("@/app/mcp/route");
    tokens = await import("@/lib/tokens");
    developer = await registerUser(env, "agent-dev");
    await env.lib.subscribe(developer, env.target("free"));
    keyId = (await env.lib.createKey(developer, "agent key")).key.id;
  });
  afterAll(() => env?.stop());

  /** An SDK client whose HTTP requests are answered by the route handler, from `ip`, with `token` if given. */
  async function connect(token?: string, ip = "198.51.100.7"): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL("http://localhost:3000/mcp"), {
      fetch: async (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set("x-forwarded-for", ip);
        if (token) headers.set("authorization", `Bearer ${token}`);
        const request = new NextRequest(url.toString(), { ...init, headers } as ConstructorParameters<typeof NextRequest>[1]);
        const method = (init?.method ?? "GET").toUpperCase();
        return method === "POST" ? route.POST(request, { params: Promise.resolve({}) }) : route.GET();
      },
    });
    const client = new Client({ name: "portico-test", version: "1.0.0" });
    await client.connect(transport);
    return client;
  }

  const textOf = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const newToken = async (scopes: ("read" | "manage" | "call")[], expiresInDays = 7) =>
    (await tokens.createToken(developer, { name: `test ${scopes.join("+")}`, scopes, expiresInDays })).value;

  async function controlPlaneCalls(): Promise<number> {
    const { calls } = (await (await fetch(`${env.sandbox.url}/_sandbox/apigateway/calls`)).json()) as { calls: Record<string, number> };
    return Object.values(calls).reduce((a, b) => a + b, 0);
  }

  it("lists its tools, each with an input schema, to anyone", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "call_operation",
        "get_usage",
        "list_apis",
        "list_my_keys",
        "list_my_subscriptions",
        "list_products",
        "read_operation",
        "read_page",
        "reveal_key",
        "search_docs",
      ].sort(),
    );
    for (const tool of tools) expect(tool.inputSchema.type).toBe("object");
    await client.close();
  });

  it("searches and reads the docs without a token, with no control-plane calls once warm", async () => {
    const client = await connect();
    await call(client, "search_docs", { query: "pets" }); // warms the catalog and the index
    await fetch(`${env.sandbox.url}/_sandbox/apigateway/calls`, { method: "DELETE" });
    const search = await call(client, "search_docs", { query: "list pets" });
    expect(search.isError).toBeFalsy();
    const hits = (search.structuredContent as { hits: { href: string; markdown: string }[] }).hits;
    expect(hits.some((h) => h.href === "/apis/pets/operations/list-pets")).toBe(true);
    expect(hits.find((h) => h.href === "/apis/pets/operations/list-pets")?.markdown).toBe("http://localhost:3000/apis/pets/operations/list-pets.md");

    const operation = textOf(await call(client, "read_operation", { api: "pets", operation: "list-pets" }));
    expect(operation).toMatch(/^# /);
    expect(operation).toContain("GET");
    expect(operation).toContain("/pets");
    expect(operation).toContain("x-api-key");
    // The same text as the page's Markdown twin.
    const page = textOf(await call(client, "read_page", { path: "http://localhost:3000/apis/pets/operations/list-pets.md" }));
    expect(page).toBe(operation);

    const apis = (await call(client, "list_apis")).structuredContent as { apis: { slug: string; baseUrl?: string }[] };
    expect(apis.apis.map((a) => a.slug)).toContain("pets");
    const products = (await call(client, "list_products")).structuredContent as { products: { slug: string }[] };
    // Weather Basic is for signed-in developers only: an anonymous client doesn't see it.
    expect(products.products.map((p) => p.slug)).toEqual(expect.arrayContaining(["free", "pro"]));
    expect(products.products.map((p) => p.slug)).not.toContain("weather-basic");
    expect(await controlPlaneCalls()).toBe(0);
    await client.close();
  });

  it("bounds long pages and continues them at an offset", async () => {
    const client = await connect();
    const full = textOf(await call(client, "read_page", { path: "/apis/pets" }));
    const { MAX_RESULT_CHARS } = await import("@/lib/mcp/server");
    expect(full.length).toBeLessThanOrEqual(MAX_RESULT_CHARS + 200);
    const later = await call(client, "read_page", { path: "/apis/pets", offset: 10 });
    expect(textOf(later)).toBe(full.slice(10));
    const past = await call(client, "read_page", { path: "/apis/pets", offset: 10_000_000 });
    expect(past.isError).toBe(true);
    expect(textOf(past)).toMatch(/offset is past the end/);
    await client.close();
  });

  it("refuses the developer's tools without a token, and bad input, with clear errors", async () => {
    const client = await connect();
    for (const name of ["list_my_keys", "list_my_subscriptions"]) {
      const result = await call(client, name);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/needs a portal token/);
    }
    const noToken = await call(client, "call_operation", { api: "pets", operation: "list-pets" });
    expect(textOf(noToken)).toMatch(/needs a portal token/);
    // Input that fails the tool's schema: an error naming the problem, not a crash.
    const bad = await client
      .callTool({ name: "read_operation", arguments: { api: "pets" } })
      .catch((error: Error) => ({ isError: true, content: [{ type: "text", text: error.message }] }));
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/operation/);
    const unknown = await call(client, "read_operation", { api: "pets", operation: "no-such-operation" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).not.toMatch(/stack|Error:/);
    await client.close();
  });

  it("with a read token: my keys (never their values), plans and usage; no reveal and no calls", async () => {
    const client = await connect(await newToken(["read"]));
    const keys = (await call(client, "list_my_keys")).structuredContent as { keys: { id: string; name: string; hint: string }[] };
    expect(keys.keys.map((k) => k.id)).toEqual([keyId]);
    expect(JSON.stringify(keys)).not.toMatch(/"value"/);
    const subscriptions = (await call(client, "list_my_subscriptions")).structuredContent as { subscriptions: { productSlug: string; state: string }[] };
    expect(subscriptions.subscriptions).toEqual([expect.objectContaining({ productSlug: "free", state: "active" })]);
    const usage = await call(client, "get_usage", { plan: "free" });
    expect(usage.isError).toBeFalsy();
    expect((usage.structuredContent as { keys: unknown[] }).keys).toHaveLength(1);

    const reveal = await call(client, "reveal_key", { keyId });
    expect(reveal.isError).toBe(true);
    expect(textOf(reveal)).toMatch(/needs the "Manage keys and subscriptions" scope/);
    const calling = await call(client, "call_operation", { api: "pets", operation: "list-pets" });
    expect(calling.isError).toBe(true);
    expect(textOf(calling)).toMatch(/needs the "Call APIs" scope/);
    await client.close();
  });

  it("with a call token: calls an operation with the developer's key, counted in API Gateway's usage", async () => {
    const client = await connect(await newToken(["call"]));
    const day = new Date().toISOString().slice(0, 10);
    const planId = env.target("free").planId;
    const before = await env.lib.getKeyUsage(planId, keyId, day, day);
    const result = await call(client, "call_operation", { api: "pets", operation: "list-pets", query: { limit: "2" } });
    expect(result.isError).toBeFalsy();
    const body = result.structuredContent as { status: number; body: string; request: { keyId: string; url: string; plan: string } };
    expect(body.status).toBe(200);
    expect(body.request).toMatchObject({ keyId, plan: "Free" });
    expect(body.request.url).toMatch(/\/pets\?limit=2$/);
    expect(JSON.stringify(result)).not.toContain(await env.lib.revealKey(developer.id, keyId));
    const after = await env.lib.getKeyUsage(planId, keyId, day, day);
    expect(sum(after.used)).toBe(sum(before.used) + 1);
    await client.close();
  });

  it("refuses calls outside the catalog's stages and operations, and path escapes, changing nothing", async () => {
    const client = await connect(await newToken(["call"]));
    const foreign = await call(client, "call_operation", { api: "not-in-catalog", operation: "list-pets" });
    expect(foreign.isError).toBe(true);
    expect(textOf(foreign)).toMatch(/no such API/);
    const escape = await call(client, "call_operation", { api: "pets", operation: "get-pet", pathParams: { petId: ".." } });
    expect(escape.isError).toBe(true);
    expect(textOf(escape)).toMatch(/can't be '\.' or '\.\.'/);
    const otherKey = await call(client, "call_operation", { api: "pets", operation: "list-pets", keyId: "someoneelses1" });
    expect(textOf(otherKey)).toMatch(/no working key with that id/);
    // Weather isn't in the Free plan: explained before anything is sent.
    const unsubscribed = await call(client, "call_operation", { api: "weather", operation: "get-current" });
    expect(unsubscribed.isError).toBe(true);
    expect(textOf(unsubscribed)).toMatch(/None of your active plans includes Weather/);
    await client.close();
  });

  it("explains a 429 as quota with its reset time, or as throttling", async () => {
    const { explain } = await import("@/lib/mcp/call");
    const plan = { quota: { limit: 1000, period: "MONTH" as const, offset: 0 }, throttle: { rateLimit: 5, burstLimit: 10 } };
    const now = Date.UTC(2026, 11, 6, 12);
    expect(explain({ status: 429, body: '{"message":"Limit Exceeded"}', headers: [["x-amzn-errortype", "LimitExceededException"]] }, plan, now)).toBe(
      "Quota used up: this plan allows 1000 requests per month, and this key has used them. It resets at 2027-01-01T00:00:00.000Z.",
    );
    expect(explain({ status: 429, body: '{"message":"Too Many Requests"}', headers: [] }, plan, now)).toMatch(/^Throttled: .*5\/s, burst 10/);
    expect(explain({ status: 200, body: "", headers: [] }, plan, now)).toBeUndefined();
  });

  it("refuses a bad, expired or revoked token at the door with 401, and a disabled account's", async () => {
    const revoked = await newToken(["read"]);
    const id = revoked.split(".")[1]!;
    await tokens.revokeToken(developer, id);
    for (const [token, message] of [
      ["not-a-token", /isn't a portal token/],
      [revoked, /isn't valid/],
      [`${revoked.slice(0, -4)}AAAA`, /isn't valid/],
    ] as const) {
      const response = await route.POST(mcpRequest(token), { params: Promise.resolve({}) });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="portico"');
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const expired = await newToken(["read"], 7);
    const response = await route.POST(mcpRequest(expired), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    const later = new Date(Date.now() + 8 * 86_400_000);
    await expect(tokens.authenticateToken(expired, "198.51.100.7", { now: later })).rejects.toThrow(/has expired/);

    const leaver = await registerUser(env, "agent-disabled");
    const theirs = (await tokens.createToken(leaver, { name: "old script", scopes: ["read"], expiresInDays: 30 })).value;
    const { updateProfile } = await import("@/lib/db/profiles");
    await updateProfile(leaver.id, { status: "disabled" });
    const refused = await route.POST(mcpRequest(theirs), { params: Promise.resolve({}) });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/account is disabled/);
  });

  it("hides what the developer may not see: a hidden product's API is not found", async () => {
    const token = await newToken(["call"]);
    const { changeCatalog } = await import("@/lib/catalog/admin");
    const plans = ["free", "pro"].map((slug) => env.target(slug).planId);
    for (const planId of plans) await changeCatalog({ planId, published: false });
    try {
      const client = await connect(token);
      const read = await call(client, "read_operation", { api: "pets", operation: "list-pets" });
      expect(read.isError).toBe(true);
      expect(textOf(read)).toMatch(/no such API|not found/i);
      const calling = await call(client, "call_operation", { api: "pets", operation: "list-pets" });
      expect(calling.isError).toBe(true);
      const apis = (await call(client, "list_apis")).structuredContent as { apis: { slug: string }[] };
      expect(apis.apis.map((a) => a.slug)).not.toContain("pets");
      await client.close();
    } finally {
      for (const planId of plans) await changeCatalog({ planId, published: true });
    }
  });

  it("takes one JSON-RPC message per request: batches and oversized bodies are refused before any tool runs", async () => {
    const post = (body: string) =>
      route.POST(
        new NextRequest("http://localhost:3000/mcp", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "x-forwarded-for": "198.51.100.9" },
          body,
        }),
        { params: Promise.resolve({}) },
      );
    // A batch would count as one request against the limits, and a cancelled call in it would never be answered.
    const batch = await post(
      JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "list_products", arguments: {} } },
        { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } },
      ]),
    );
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32600, message: expect.stringMatching(/Batches aren't supported/) } });
    const huge = await post(
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "search_docs", arguments: { query: "x".repeat(300_000) } } }),
    );
    expect(huge.status).toBe(413);
    const junk = await post("{not json");
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: { code: number } }).error.code).toBe(-32700);
    // A lone notification is accepted with nothing to answer.
    expect((await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9 } }))).status).toBe(202);
  });

  it("answers a malformed page URL as bad input, and never echoes a key's value from an API's answer", async () => {
    const client = await connect();
    const bad = await call(client, "read_page", { path: "http://[::1" });
    expect(bad.isError).toBe(true);
    expect(bad.structuredContent).toMatchObject({ error: { code: "bad_request" } });
    await client.close();

    const { redactKey } = await import("@/lib/mcp/call");
    const key = "AbCdEf+GhIj/KlMn0123";
    const echoed = redactKey(
      {
        status: 200,
        statusText: "OK",
        body: `{"headers":{"x-api-key":"${key}"},"url":"/echo?k=${encodeURIComponent(key)}"}`,
        headers: [["x-echo", key]],
        truncated: false,
        durationMs: 1,
      },
      key,
    );
    expect(JSON.stringify(echoed)).not.toContain(key);
    expect(JSON.stringify(echoed)).not.toContain(encodeURIComponent(key));
    expect(echoed.body).toContain("••••0123");
  });

  it("gives an admin's token no admin powers: hidden products stay hidden", async () => {
    const admin = await registerUser(env, "agent-admin");
    const { updateItem } = await import("@/lib/db/items");
    await updateItem(
      { pk: `USER#${admin.id}`, sk: `USER#${admin.id}` },
      { expression: "SET #g = :g", names: { "#g": "groups" }, values: { ":g": ["admins"] } },
    );
    const value = (await tokens.createToken(admin, { name: "admin agent", scopes: ["read"], expiresInDays: 7 })).value;
    const caller = await tokens.authenticateToken(value, "198.51.100.7");
    expect(caller).toMatchObject({ isAdmin: false, user: { groups: ["admins"] } });
    const { changeCatalog } = await import("@/lib/catalog/admin");
    const planId = env.target("weather-basic").planId;
    await changeCatalog({ planId, published: false });
    try {
      const client = await connect(value);
      const products = (await call(client, "list_products")).structuredContent as { products: { slug: string }[] };
      expect(products.products.map((p) => p.slug)).not.toContain("weather-basic");
      await client.close();
    } finally {
      await changeCatalog({ planId, published: true });
    }
  });

  function mcpRequest(token: string) {
    return new NextRequest("http://localhost:3000/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "x-forwarded-for": "198.51.100.8",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
  }
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
