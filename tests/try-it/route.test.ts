import { APIGatewayClient, UpdateUsagePlanCommand } from "@aws-sdk/client-api-gateway";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Caller } from "@/lib/auth/caller";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * POST /api/try (issue #20): the real route handler against the sandbox's table, API Gateway and
 * data plane. The reader names one of their keys by id; the server checks it is theirs, reads its
 * value, checks the request against the spec and relays it. Stubbed: who is signed in, Auth.js,
 * and Next's data cache (a miniature, as in tests/agents/mcp.test.ts).
 */
type SignedIn = Caller & { user: NonNullable<Caller["user"]> };
const session = vi.hoisted(() => ({ caller: null as SignedIn | null }));
/** When set, the raw spec /api/try checks bodies against (to hand it a pathological schema). */
const rawSpecOverride = vi.hoisted(() => ({ doc: null as Record<string, unknown> | null }));

vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("next/cache", () => {
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
vi.mock("@/lib/auth/caller", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/caller")>();
  const { AppError } = await import("@/lib/errors");
  return {
    ...original,
    assertCaller: async () => {
      if (!session.caller) throw new AppError("unauthorized", "Sign in to continue.");
      return session.caller;
    },
  };
});
vi.mock("@/lib/try-it/raw-spec", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/try-it/raw-spec")>();
  return {
    ...original,
    getRawSpec: async (api: Parameters<typeof original.getRawSpec>[0]) =>
      rawSpecOverride.doc
        ? { key: `override-${JSON.stringify(rawSpecOverride.doc).length}`, dialect: "3.0" as const, doc: rawSpecOverride.doc }
        : original.getRawSpec(api),
  };
});

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Answer = {
  status: number;
  statusText: string;
  body: string;
  headers: [string, string][];
  durationMs: number;
  sizeBytes: number;
  request: { method: string; url: string; keyId?: string; keyName?: string; plan?: string };
  explanation?: string;
  checked?: { state: string; reason?: string };
  error?: {
    code: string;
    message: string;
    reason?: string;
    products?: { name: string; slug: string }[];
    problems?: { in: string; path: string; message: string }[];
  };
};

let ipCounter = 0;

describe("POST /api/try", () => {
  let env: Env;
  let route: typeof import("@/app/api/try/route");
  let developer: { id: string; email: string };
  let keyId: string;
  let keyValue: string;
  let freePlanId: string;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    route = await import("@/app/api/try/route");
    developer = await registerUser(env, "try-dev");
    await env.lib.subscribe(developer, env.target("free"));
    const created = await env.lib.createKey(developer, "try key");
    keyId = created.key.id;
    keyValue = created.value;
    freePlanId = env.target("free").planId;
  }, 120_000);
  afterAll(() => env?.stop());

  const as = (user: { id: string; email: string }): SignedIn => ({ user: { id: user.id, email: user.email, name: null, groups: [] }, isAdmin: false });

  async function send(user: { id: string; email: string }, body: unknown): Promise<{ status: number; json: Answer }> {
    session.caller = as(user);
    ipCounter += 1;
    const request = new NextRequest("http://localhost:3000/api/try", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `10.20.0.${ipCounter}` },
      body: JSON.stringify(body),
    });
    const response = await route.POST(request, { params: Promise.resolve({}) });
    return { status: response.status, json: (await response.json()) as Answer };
  }

  const today = () => new Date().toISOString().slice(0, 10);
  const usage = async (planId: string, id: string) => (await env.lib.getKeyUsage(planId, id, today(), today())).used.reduce((a: number, b: number) => a + b, 0);

  it("sends with the reader's own key, named by id: counted in API Gateway, the value never in the answer", async () => {
    const before = await usage(freePlanId, keyId);
    const { status, json } = await send(developer, { api: "pets", operation: "list-pets", keyId, query: { limit: "2" } });
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 200, statusText: "OK", request: { method: "GET", keyId, keyName: "try key", plan: "Free" } });
    expect(json.request.url).toMatch(/\/pets\?limit=2$/);
    expect(JSON.parse(json.body)).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Rex" })]));
    expect(json.sizeBytes).toBe(Buffer.byteLength(json.body));
    expect(json.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(json)).not.toContain(keyValue);
    expect(await usage(freePlanId, keyId)).toBe(before + 1);

    // Without a keyId: their first key that works here.
    const picked = await send(developer, { api: "pets", operation: "get-pet", pathParams: { petId: "7" } });
    expect(picked.json).toMatchObject({ status: 200, request: { keyId } });
    expect(await usage(freePlanId, keyId)).toBe(before + 2);
  });

  it("refuses someone else's key id with a 404 and sends nothing", async () => {
    const other = await registerUser(env, "try-other");
    const before = await usage(freePlanId, keyId);
    const { status, json } = await send(other, { api: "pets", operation: "list-pets", keyId });
    expect(status).toBe(404);
    expect(json.error).toMatchObject({ code: "not_found", reason: "unknown_key" });
    expect(JSON.stringify(json)).not.toContain(keyValue);
    expect(await usage(freePlanId, keyId)).toBe(before);
    // A key value is no longer accepted in its place.
    const pasted = await send(other, { api: "pets", operation: "list-pets", apiKey: keyValue });
    expect(pasted.status).toBe(400);
    expect(pasted.json.error?.message).toMatch(/Choose one of your keys by keyId/);
    expect(await usage(freePlanId, keyId)).toBe(before);
  });

  it("explains a missing key or plan, with the products that include the API", async () => {
    const newcomer = await registerUser(env, "try-newcomer");
    const none = await send(newcomer, { api: "pets", operation: "list-pets" });
    expect(none.status).toBe(409);
    expect(none.json.error).toMatchObject({ reason: "no_key", message: expect.stringMatching(/You have no API key yet\. Create one on your dashboard/) });
    expect(none.json.error?.products?.map((p) => p.slug).sort()).toEqual(["free", "pro"]);

    const { key } = await env.lib.createKey(newcomer, "unsubscribed key");
    const unsubscribed = await send(newcomer, { api: "pets", operation: "list-pets", keyId: key.id });
    expect(unsubscribed.status).toBe(403);
    expect(unsubscribed.json.error).toMatchObject({
      code: "forbidden",
      reason: "not_subscribed",
      message: expect.stringMatching(/None of your active plans includes Pets for that key\. Subscribe to one of: .*Free \(free\)/),
    });
    // The developer's Free plan doesn't include Weather either.
    const weather = await send(developer, { api: "weather", operation: "get-current", keyId, query: { city: "Lisbon" } });
    expect(weather.json.error).toMatchObject({ reason: "not_subscribed" });
    expect(weather.json.error?.products?.map((p) => p.slug)).toContain("pro");

    // An operation that needs no key is sent without one.
    const health = await send(newcomer, { api: "pets", operation: "health" });
    expect(health.json).toMatchObject({ status: 200, request: { method: "GET" } });
    expect(health.json.request.keyId).toBeUndefined();
  });

  it("checks the body and parameters against the spec before sending: a 422 with each problem, nothing sent", async () => {
    const before = await usage(freePlanId, keyId);
    const invalid = await send(developer, {
      api: "pets",
      operation: "create-pet",
      keyId,
      body: JSON.stringify({ name: 5, type: "cow" }),
      contentType: "application/json",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error).toMatchObject({ code: "unprocessable", message: expect.stringMatching(/nothing was sent/) });
    expect(invalid.json.error?.problems).toEqual(
      expect.arrayContaining([
        { in: "body", path: "/name", message: "must be string" },
        { in: "body", path: "/type", message: 'must be one of "dog", "cat", "bird"' },
      ]),
    );
    const malformed = await send(developer, { api: "pets", operation: "create-pet", keyId, body: '{"name": "Rex",}', contentType: "application/json" });
    expect(malformed.status).toBe(422);
    expect(malformed.json.error?.problems).toEqual([
      { in: "body", path: "", message: 'isn\'t valid JSON: unexpected "}" (line 1, column 16)', line: 1, column: 16 },
    ]);
    const badParams = await send(developer, { api: "pets", operation: "list-pets", keyId, query: { limit: "lots", type: "fish" } });
    expect(badParams.status).toBe(422);
    expect(badParams.json.error?.problems).toEqual([
      { in: "query", path: "limit", message: "must be an integer" },
      { in: "query", path: "type", message: "must be one of dog, cat, bird" },
    ]);
    expect(await usage(freePlanId, keyId)).toBe(before);

    // Valid: checked and sent. "Send anyway" (validate: false): sent as written.
    const valid = await send(developer, {
      api: "pets",
      operation: "create-pet",
      keyId,
      body: '{"name": "Rex", "type": "dog"}',
      contentType: "application/json",
    });
    expect(valid.json).toMatchObject({ status: 201, checked: { state: "valid" } });
    const anyway = await send(developer, { api: "pets", operation: "create-pet", keyId, body: "{not json", contentType: "application/json", validate: false });
    expect(anyway.status).toBe(200);
    expect(anyway.json).toMatchObject({ checked: { state: "skipped" } });
    expect(await usage(freePlanId, keyId)).toBe(before + 2);
  });

  it("bounds a pathological schema: not checked (said plainly), still sent, no hang and no 500", async () => {
    const wide = Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`p${i}`, { $ref: "#/components/schemas/Node" }]));
    rawSpecOverride.doc = {
      openapi: "3.0.3",
      paths: { "/pets": { post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } },
      components: { schemas: { Node: { type: "object", properties: { ...wide, self: { $ref: "#/components/schemas/Node" } } } } },
    };
    try {
      const started = performance.now();
      const { status, json } = await send(developer, {
        api: "pets",
        operation: "create-pet",
        keyId,
        body: '{"name": "Rex", "type": "dog"}',
        contentType: "application/json",
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(status).toBe(200);
      expect(json).toMatchObject({ status: 201, checked: { state: "unchecked", reason: expect.stringMatching(/too large to check/) } });
    } finally {
      rawSpecOverride.doc = null;
    }
  });

  it("explains a 429 as the plan's quota used up, with when it resets", async () => {
    const apigw = new APIGatewayClient({ endpoint: env.sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS });
    const quota = (limit: number, period: string) =>
      apigw.send(
        new UpdateUsagePlanCommand({
          usagePlanId: freePlanId,
          patchOperations: [
            { op: "replace", path: "/quota/limit", value: String(limit) },
            { op: "replace", path: "/quota/period", value: period },
          ],
        }),
      );
    await quota(1, "DAY");
    const { revalidateTag } = await import("next/cache");
    revalidateTag("catalog", "max"); // the catalog's plan terms, read again
    try {
      // Today's calls above already used the one request.
      const { status, json } = await send(developer, { api: "pets", operation: "list-pets", keyId });
      expect(status).toBe(200);
      expect(json.status).toBe(429);
      const midnight = new Date(`${today()}T00:00:00.000Z`).getTime() + 86_400_000;
      expect(json.explanation).toBe(
        `Quota used up: this plan allows 1 requests per day, and this key has used them. It resets at ${new Date(midnight).toISOString()}.`,
      );
    } finally {
      await quota(1000, "MONTH");
      revalidateTag("catalog", "max");
    }
  });
});
