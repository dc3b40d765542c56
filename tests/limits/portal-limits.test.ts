import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Caller } from "@/lib/auth/caller";
import type { LimitsInput } from "@/lib/limits/settings";
import { registerUser, startAccessSandbox } from "../access/setup";

/**
 * The portal's own rate limits (issue #18), through the real route handlers against the sandbox's
 * table and API Gateway. Stubbed: who is signed in, Auth.js itself (it needs a browser's cookies and
 * a real request; what matters here is whether a request reaches it), and Next's data cache.
 */
type SignedIn = Caller & { user: NonNullable<Caller["user"]> };
const session = vi.hoisted(() => ({ caller: null as SignedIn | null }));
const authjs = vi.hoisted(() => ({ posts: [] as string[], signIns: [] as unknown[][] }));
const AUTHORIZE_URL = "http://cognito.invalid/oauth2/authorize?client_id=portal";

vi.mock("@/lib/auth/auth", () => ({
  auth: async () => null,
  signOut: async () => undefined,
  signIn: async (...args: unknown[]) => {
    authjs.signIns.push(args);
    return AUTHORIZE_URL;
  },
  handlers: {
    GET: async () => new Response("Auth.js"),
    POST: async (request: Request) => {
      authjs.posts.push(new URL(request.url).pathname);
      return new Response("Auth.js");
    },
  },
}));

// Next's data cache needs a running server: the catalog is read afresh each time here.
vi.mock("next/cache", () => ({ unstable_cache: <F>(fn: F) => fn, revalidateTag: () => {}, revalidatePath: () => {} }));

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

const setLimits = (portal: LimitsInput["portal"]) => (process.env.PORTICO_LIMITS = JSON.stringify({ portal }));
const roomy = { requests: 10_000, seconds: 600 };

let ipCounter = 0;
/** An address no other test has used: each test's per-IP buckets start full. */
const freshIp = () => `10.18.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

function request(method: string, path: string, options: { ip: string; body?: unknown; accept?: string; form?: Record<string, string> }) {
  const headers: Record<string, string> = { "x-forwarded-for": `203.0.113.9, ${options.ip}` };
  if (options.accept) headers.accept = options.accept;
  let body: BodyInit | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return new NextRequest(`http://localhost:3000${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
}

const params = <P>(value: P) => ({ params: Promise.resolve(value) });

describe("the portal's rate limits", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let keysRoute: typeof import("@/app/api/keys/route");
  let keyRoute: typeof import("@/app/api/keys/[keyId]/route");
  let rotateRoute: typeof import("@/app/api/keys/[keyId]/rotate/route");
  let revealRoute: typeof import("@/app/api/keys/[keyId]/reveal/route");
  let subscriptionsRoute: typeof import("@/app/api/subscriptions/route");
  let subscriptionRoute: typeof import("@/app/api/subscriptions/[planId]/route");
  let tryRoute: typeof import("@/app/api/try/route");
  let activateRoute: typeof import("@/app/api/marketplace/activate/route");
  let signInStart: typeof import("@/app/(public)/signin/start/route");
  let registerRoute: typeof import("@/app/(public)/register/route");
  let authRoute: typeof import("@/app/api/auth/[...nextauth]/route");
  let portal: typeof import("@/lib/limits/portal");

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
    // Loaded now: their AWS clients read the sandbox's endpoint when first imported.
    keysRoute = await import("@/app/api/keys/route");
    keyRoute = await import("@/app/api/keys/[keyId]/route");
    rotateRoute = await import("@/app/api/keys/[keyId]/rotate/route");
    revealRoute = await import("@/app/api/keys/[keyId]/reveal/route");
    subscriptionsRoute = await import("@/app/api/subscriptions/route");
    subscriptionRoute = await import("@/app/api/subscriptions/[planId]/route");
    tryRoute = await import("@/app/api/try/route");
    activateRoute = await import("@/app/api/marketplace/activate/route");
    signInStart = await import("@/app/(public)/signin/start/route");
    registerRoute = await import("@/app/(public)/register/route");
    authRoute = await import("@/app/api/auth/[...nextauth]/route");
    portal = await import("@/lib/limits/portal");
  });
  afterEach(() => {
    session.caller = null;
    delete process.env.PORTICO_LIMITS;
  });
  afterAll(() => env?.stop());

  async function signedIn(label: string, isAdmin = false): Promise<SignedIn> {
    const user = await registerUser(env, label);
    session.caller = { user: { id: user.id, email: user.email, name: label, groups: isAdmin ? ["admins"] : [] }, isAdmin };
    return session.caller;
  }

  /** The user's keys as the portal and API Gateway hold them. */
  async function keysOf(userId: string) {
    const portalKeys = (await env.lib.listKeys(userId)).map((k) => ({ id: k.id, name: k.name, state: k.state }));
    const gatewayKeys = (await env.lib.listApiKeys())
      .filter((k) => k.tags?.["portico:user"] === userId)
      .map((k) => ({ id: k.id, name: k.name, enabled: k.enabled }));
    return { portalKeys, gatewayKeys };
  }

  async function expectLimited(response: Response, message: RegExp) {
    expect(response.status).toBe(429);
    const retryAfter = response.headers.get("retry-after");
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    expect(await response.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(message), retryAfterSeconds: Number(retryAfter) } });
  }
  const PER_USER = (what: string) =>
    new RegExp(`^Too many ${what} in a short time\\. Please wait (\\d+ seconds?|about \\d+ (minutes|hours)) and try again\\.$`);
  const PER_IP = (what: string) =>
    new RegExp(`^Too many ${what} from your network\\. Please wait (\\d+ seconds?|about \\d+ (minutes|hours)) and try again\\.$`);

  it("past the per-user limit, every key change answers 429 with Retry-After and a message, and changes nothing", async () => {
    setLimits({ keys: { perUser: { requests: 2, seconds: 60 }, perIp: roomy } });
    const { user } = await signedIn("limited");
    const ip = freshIp();
    const created = await keysRoute.POST(request("POST", "/api/keys", { ip, body: { name: "first" } }), params({}));
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: { id: string } };
    expect((await keyRoute.PATCH(request("PATCH", `/api/keys/${key.id}`, { ip, body: { name: "renamed" } }), params({ keyId: key.id }))).status).toBe(200);
    const before = await keysOf(user.id);
    expect(before.portalKeys).toEqual([{ id: key.id, name: "renamed", state: "active" }]);
    expect(before.gatewayKeys).toHaveLength(1);

    const refused = await keysRoute.POST(request("POST", "/api/keys", { ip, body: { name: "second" } }), params({}));
    await expectLimited(refused, PER_USER("key changes"));
    // 2 every 60 s: the next change is possible within 30 s, and the message says so in seconds.
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    await expectLimited(
      await keyRoute.PATCH(request("PATCH", `/api/keys/${key.id}`, { ip, body: { name: "again" } }), params({ keyId: key.id })),
      PER_USER("key changes"),
    );
    await expectLimited(await keyRoute.DELETE(request("DELETE", `/api/keys/${key.id}`, { ip }), params({ keyId: key.id })), PER_USER("key changes"));
    await expectLimited(
      await rotateRoute.POST(request("POST", `/api/keys/${key.id}/rotate`, { ip, body: { grace: "none" } }), params({ keyId: key.id })),
      PER_USER("key changes"),
    );
    // The limit comes first: even input the route would refuse is counted and refused as too many.
    await expectLimited(await keysRoute.POST(request("POST", "/api/keys", { ip, body: { name: "" } }), params({})), PER_USER("key changes"));
    // Linking a Marketplace purchase is a key change too (refused before its cookie is read).
    await expectLimited(await activateRoute.POST(request("POST", "/api/marketplace/activate", { ip }), params({})), PER_USER("key changes"));

    // Nothing changed, in the portal's table or in API Gateway.
    expect(await keysOf(user.id)).toEqual(before);
  });

  it("reads are never limited, except those that ask API Gateway (revealing a key: liveReads)", async () => {
    setLimits({
      keys: { perUser: { requests: 1, seconds: 600 }, perIp: { requests: 1, seconds: 600 } },
      liveReads: { perUser: { requests: 3, seconds: 600 }, perIp: roomy },
    });
    const { user } = await signedIn("reader");
    const ip = freshIp();
    const created = await keysRoute.POST(request("POST", "/api/keys", { ip, body: { name: "only" } }), params({}));
    expect(created.status).toBe(201);
    const { key, value } = (await created.json()) as { key: { id: string }; value: string };
    await expectLimited(await keysRoute.POST(request("POST", "/api/keys", { ip, body: { name: "more" } }), params({})), PER_USER("key changes"));
    for (let i = 0; i < 5; i++) {
      const listed = await keysRoute.GET(request("GET", "/api/keys", { ip }), params({}));
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { keys: { id: string }[] }).keys.map((k) => k.id)).toEqual([key.id]);
      expect((await subscriptionsRoute.GET(request("GET", "/api/subscriptions", { ip }), params({}))).status).toBe(200);
    }
    // Each reveal reads the value from API Gateway: three, then the fourth waits.
    const reveal = () => revealRoute.POST(request("POST", `/api/keys/${key.id}/reveal`, { ip }), params({ keyId: key.id }));
    for (let i = 0; i < 3; i++) expect(await (await reveal()).json()).toEqual({ value });
    await expectLimited(await reveal(), PER_USER("key reveals and usage refreshes"));
    expect((await keysOf(user.id)).portalKeys).toHaveLength(1);
  });

  it("per IP and per user are separate: a person is held back at any address, an address for anyone", async () => {
    setLimits({ keys: { perUser: { requests: 2, seconds: 600 }, perIp: { requests: 3, seconds: 600 } } });
    const [ip1, ip2, ip3] = [freshIp(), freshIp(), freshIp()];
    // Renaming a key that isn't there: counted (the limit comes first), then 404, nothing made.
    const rename = (ip: string) => keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip, body: { name: "x" } }), params({ keyId: "AAAA" }));
    const alice = await signedIn("alice");
    const bob = await signedIn("bob");
    const carol = await signedIn("carol");
    const as = (who: SignedIn) => (session.caller = who);

    as(alice);
    expect((await rename(ip1)).status).toBe(404);
    expect((await rename(ip1)).status).toBe(404);
    // Alice has spent her own limit: from another address too.
    await expectLimited(await rename(ip2), PER_USER("key changes"));
    // Bob at Alice's address: the address has one change left, then it's full for everyone.
    as(bob);
    expect((await rename(ip1)).status).toBe(404);
    as(carol);
    const fromNetwork = await rename(ip1);
    await expectLimited(fromNetwork, PER_IP("key changes"));
    // 3 every 600 s: about 200 s to wait, said in minutes.
    expect(Number(fromNetwork.headers.get("retry-after"))).toBeGreaterThan(150);
    // The person's limit is taken first: the call refused at ip1 took one of Carol's two, and left ip1's alone.
    expect((await rename(ip3)).status).toBe(404);
    await expectLimited(await rename(ip3), PER_USER("key changes"));
    expect((await keysOf(alice.user.id)).portalKeys).toEqual([]);
  });

  it("admins are exempt from the per-user limit, not from the per-IP one", async () => {
    setLimits({ keys: { perUser: { requests: 1, seconds: 600 }, perIp: { requests: 3, seconds: 600 } } });
    await signedIn("admin", true);
    const ip = freshIp();
    const rename = () => keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip, body: { name: "x" } }), params({ keyId: "AAAA" }));
    for (let i = 0; i < 3; i++) expect((await rename()).status).toBe(404);
    await expectLimited(await rename(), PER_IP("key changes"));
    // The same limits hold a developer at one change.
    await signedIn("developer");
    const other = freshIp();
    expect((await keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip: other, body: { name: "x" } }), params({ keyId: "AAAA" }))).status).toBe(404);
    await expectLimited(
      await keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip: other, body: { name: "x" } }), params({ keyId: "AAAA" })),
      PER_USER("key changes"),
    );
  });

  it("a refused caller (signed out, or cross-site) isn't counted", async () => {
    setLimits({ keys: { perUser: { requests: 1, seconds: 600 }, perIp: { requests: 1, seconds: 600 } } });
    const ip = freshIp();
    const rename = (headers: Record<string, string> = {}) => {
      const r = request("PATCH", "/api/keys/AAAA", { ip, body: { name: "x" } });
      for (const [name, value] of Object.entries(headers)) r.headers.set(name, value);
      return keyRoute.PATCH(r, params({ keyId: "AAAA" }));
    };
    for (let i = 0; i < 3; i++) expect((await rename()).status).toBe(401);
    await signedIn("careful");
    for (let i = 0; i < 3; i++) expect((await rename({ origin: "https://evil.example" })).status).toBe(403);
    expect((await rename()).status).toBe(404);
    await expectLimited(await rename(), PER_USER("key changes"));
  });

  it("the limit resets after its window", async () => {
    setLimits({ keys: { perUser: { requests: 2, seconds: 2 }, perIp: roomy } });
    await signedIn("patient");
    const ip = freshIp();
    const rename = () => keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip, body: { name: "x" } }), params({ keyId: "AAAA" }));
    expect((await rename()).status).toBe(404);
    expect((await rename()).status).toBe(404);
    const refused = await rename();
    await expectLimited(refused, PER_USER("key changes"));
    expect(refused.headers.get("retry-after")).toBe("1");
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    // A whole window later the bucket is full again: two changes, then refused.
    expect((await rename()).status).toBe(404);
    expect((await rename()).status).toBe(404);
    await expectLimited(await rename(), PER_USER("key changes"));
  });

  it("subscription changes and try-it calls have limits of their own", async () => {
    setLimits({
      keys: { perUser: { requests: 1, seconds: 600 }, perIp: roomy },
      subscriptions: { perUser: { requests: 1, seconds: 600 }, perIp: roomy },
      tryIt: { perUser: { requests: 1, seconds: 60 }, perIp: roomy },
    });
    const { user } = await signedIn("subscriber");
    const ip = freshIp();
    const subscribed = await subscriptionsRoute.POST(request("POST", "/api/subscriptions", { ip, body: { product: "free" } }), params({}));
    expect(subscribed.status).toBe(200);
    const { subscription } = (await subscribed.json()) as { subscription: { planId: string } };
    // A request for approval and an unsubscribe count as subscription changes too.
    await expectLimited(
      await subscriptionsRoute.POST(request("POST", "/api/subscriptions", { ip, body: { product: "weather-basic" } }), params({})),
      PER_USER("subscription changes"),
    );
    await expectLimited(
      await subscriptionRoute.DELETE(request("DELETE", `/api/subscriptions/${subscription.planId}`, { ip }), params({ planId: subscription.planId })),
      PER_USER("subscription changes"),
    );
    expect((await env.lib.listSubscriptions(user.id)).map((s) => [s.productSlug, s.state])).toEqual([["free", "active"]]);

    // Key changes are a separate limit, not spent by subscribing.
    expect((await keyRoute.PATCH(request("PATCH", "/api/keys/AAAA", { ip, body: { name: "x" } }), params({ keyId: "AAAA" }))).status).toBe(404);

    // Try-it: the first call is counted even though its input is refused; the next is too many.
    expect((await tryRoute.POST(request("POST", "/api/try", { ip, body: { api: "" } }), params({}))).status).toBe(400);
    await expectLimited(
      await tryRoute.POST(request("POST", "/api/try", { ip, body: { api: "pets", operation: "list-pets" } }), params({})),
      PER_USER("try-it calls"),
    );
  });

  describe("sign-in and sign-up starts, per IP", () => {
    const SIGN_IN = /^Too many sign-in attempts from your network\. Please wait about 5 minutes and try again\.$/;
    const start = (ip: string, accept?: string) =>
      signInStart.POST(request("POST", "/signin/start", { ip, form: { callbackUrl: "/dashboard" }, ...(accept ? { accept } : {}) }), params({}));
    const authPost = (ip: string, path: string) => authRoute.POST(request("POST", path, { ip, form: { csrfToken: "x", callbackUrl: "/" } }));

    it("the sign-in page's form goes on to the managed login until the address has started too many; then a page a person can read, or JSON", async () => {
      setLimits({ signIn: { perIp: { requests: 2, seconds: 600 } } });
      const ip = freshIp();
      authjs.signIns.length = 0;
      const started = await start(ip, "text/html");
      expect(started.status).toBe(303);
      expect(started.headers.get("location")).toBe(AUTHORIZE_URL);
      expect(authjs.signIns).toEqual([["cognito", { redirect: false, redirectTo: "/dashboard" }]]);
      expect((await start(ip, "text/html")).status).toBe(303);

      const page = await start(ip, "text/html,application/xhtml+xml");
      expect(page.status).toBe(429);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const retryAfter = Number(page.headers.get("retry-after"));
      // 2 every 600 s: one more every 300 s.
      expect(retryAfter).toBeGreaterThan(250);
      expect(retryAfter).toBeLessThanOrEqual(300);
      const text = await page.text();
      expect(/<p role="alert"[^>]*>([^<]*)<\/p>/.exec(text)?.[1]).toMatch(SIGN_IN);
      expect(text).toContain('<a href="/signin?callbackUrl=%2Fdashboard">Back to sign in</a>');
      await expectLimited(await start(ip), SIGN_IN);
      // Refused before Auth.js was asked for anything.
      expect(authjs.signIns).toHaveLength(2);
      // Another address may still start one.
      expect((await start(freshIp())).status).toBe(303);
    });

    it("GET /register and Auth.js's own POST /api/auth/signin/* count against the same limit", async () => {
      setLimits({ signIn: { perIp: { requests: 2, seconds: 600 } } });
      const ip = freshIp();
      authjs.posts.length = 0;
      // Allowed, /register goes on to the managed login's sign-up page (Next's redirect, thrown).
      await expect(registerRoute.GET(request("GET", "/register?callbackUrl=%2Fapis", { ip, accept: "text/html" }))).rejects.toMatchObject({
        digest: expect.stringContaining("http://cognito.invalid/signup"),
      });
      expect((await authPost(ip, "/api/auth/signin/cognito")).status).toBe(200);
      expect(authjs.posts).toEqual(["/api/auth/signin/cognito"]);

      const register = await registerRoute.GET(request("GET", "/register?callbackUrl=%2Fapis", { ip, accept: "text/html" }));
      expect(register.status).toBe(429);
      expect(register.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(await register.text()).toContain('<a href="/signin?callbackUrl=%2Fapis">Back to sign in</a>');
      await expectLimited(await authPost(ip, "/api/auth/signin/cognito"), SIGN_IN);
      await expectLimited(await authPost(ip, "/api/auth/signin"), SIGN_IN);
      await expectLimited(await start(ip), SIGN_IN);
      // Auth.js's other POSTs (session, sign-out, callback) aren't sign-in starts.
      expect((await authPost(ip, "/api/auth/session")).status).toBe(200);
      expect(authjs.posts).toEqual(["/api/auth/signin/cognito", "/api/auth/session"]);
    });
  });

  it("waits read as seconds, then minutes, then hours", () => {
    const { formatWait, limitMessage } = portal;
    expect([1, 2, 45, 89].map(formatWait)).toEqual(["1 second", "2 seconds", "45 seconds", "89 seconds"]);
    expect([90, 120, 121, 540, 599, 3_600, 5_340].map(formatWait)).toEqual([
      "about 2 minutes",
      "about 2 minutes",
      "about 3 minutes",
      "about 9 minutes",
      "about 10 minutes",
      "about 60 minutes",
      "about 89 minutes",
    ]);
    expect([5_341, 7_200, 86_400].map(formatWait)).toEqual(["about 2 hours", "about 2 hours", "about 24 hours"]);
    expect(limitMessage("signIn", "ip", 540)).toBe("Too many sign-in attempts from your network. Please wait about 9 minutes and try again.");
    expect(limitMessage("keys", "user", 30)).toBe("Too many key changes in a short time. Please wait 30 seconds and try again.");
  });
});
