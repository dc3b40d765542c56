import { NextRequest } from "next/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Caller } from "@/lib/auth";
import { SESSION_COOKIES } from "@/lib/auth/sessions";
import { SESSION_COOKIE_NAMES } from "@/lib/cloudfront/docs-cache";
import { AppError } from "@/lib/errors";

/**
 * The docs route's caching headers (issue #20, deployed caching): what a shared cache may keep —
 * anonymous pages — and what it never may (anything with a session, Markdown-minded
 * requests, failures), with an ETag that turns a browser's revalidation into a 304.
 */
const caller = vi.hoisted(() => ({ current: { user: null, isAdmin: false } as Caller }));
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null, signIn: async () => undefined, signOut: async () => undefined, handlers: {} }));
vi.mock("@/lib/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getCaller: async () => caller.current }));

const ALICE: Caller = { user: { id: "u1", name: "Alice", email: "alice@example.com", groups: [] }, isAdmin: false };
const ANONYMOUS: Caller = { user: null, isAdmin: false };

let docsRoute: typeof import("@/components/docs/docs-route").docsRoute;
let refreshMinutes: number;

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    PORTICO_TABLE: "portico",
    AUTH_SECRET: "x".repeat(32),
    AUTH_URL: "http://localhost:3000",
    COGNITO_ISSUER: "http://localhost:4566/us-east-1_test",
    COGNITO_CLIENT_ID: "client",
    COGNITO_USER_POOL_ID: "us-east-1_test",
    COGNITO_DOMAIN_URL: "http://localhost:4566",
    PORTICO_DOCS_ASSETS: JSON.stringify({
      script: "/docs-assets/islands-test.js",
      style: "/docs-assets/docs-test.css",
      styleRules: "/docs-assets/docs-test.rules.json",
    }),
  });
  ({ docsRoute } = await import("@/components/docs/docs-route"));
  refreshMinutes = (await import("@/lib/catalog/settings")).getPortalSettings().refreshMinutes;
});
beforeEach(() => {
  caller.current = ANONYMOUS;
});

type Params = { page: string };
const route = () =>
  docsRoute<Params>(async ({ page }) => {
    if (page === "missing") throw new AppError("not_found", "There is no such operation.");
    if (page === "broken") throw new AppError("unavailable", "API Gateway is not answering.");
    // A unique page per test run, so the process's cache of anonymous documents starts empty.
    return { key: `test:${page}`, title: `Page ${page}`, path: `/apis/pets/operations/${page}`, html: `<main><h1>${page}</h1></main>` };
  });

async function get(page: string, headers: Record<string, string> = {}) {
  const request = new NextRequest(`http://localhost:3000/apis/pets/operations/${page}`, { headers });
  return route()(request, { params: Promise.resolve({ page }) });
}

const shared = () => `public, max-age=0, s-maxage=${refreshMinutes * 60}, stale-while-revalidate=60`;

describe("the docs route's caching headers", () => {
  it("lets a shared cache keep an anonymous page for the catalog's refresh interval, browsers revalidating", async () => {
    const response = await get("anon-page");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe(shared());
    expect(response.headers.get("vary")).toBe("Cookie, Accept");
    expect(response.headers.get("etag")).toMatch(/^"[\w-]{27}"$/);
    expect(await response.text()).toContain("<h1>anon-page</h1>");
  });

  it("answers a revalidation with the same ETag by a 304 without a body, and a changed one with the page", async () => {
    const first = await get("etag-page");
    const etag = first.headers.get("etag")!;
    const again = await get("etag-page", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(shared());
    expect(await again.text()).toBe("");
    // CloudFront may weaken the tag when it compresses the page: still the same bytes.
    expect((await get("etag-page", { "if-none-match": `W/${etag}` })).status).toBe(304);
    const other = await get("etag-page", { "if-none-match": '"something-else"' });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain("<h1>etag-page</h1>");
  });

  it("gives the same ETag for the same bytes and another for another theme", async () => {
    const light = await get("theme-page", { cookie: "theme=light" });
    const dark = await get("theme-page", { cookie: "theme=dark" });
    expect((await get("theme-page", { cookie: "theme=light" })).headers.get("etag")).toBe(light.headers.get("etag"));
    expect(dark.headers.get("etag")).not.toBe(light.headers.get("etag"));
    expect(dark.headers.get("cache-control")).toBe(shared());
    expect(await dark.text()).toMatch(/<html[^>]*class="[^"]*dark/);
  });

  it("keeps a signed-in reader's page private, with no ETag and no 304", async () => {
    caller.current = ALICE;
    const response = await get("signed-in-page", { cookie: "authjs.session-token=abc; theme=dark" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("etag")).toBeNull();
    expect(await response.text()).toContain("Alice");
    caller.current = ANONYMOUS;
    const anonymous = await get("signed-in-page");
    expect(anonymous.headers.get("cache-control")).toBe(shared());
    expect(await anonymous.text()).not.toContain("Alice");
  });

  it("keeps private a request with a session cookie whose session is gone (or chunked), though it reads the anonymous page", async () => {
    for (const cookie of ["authjs.session-token=stale", "__Secure-authjs.session-token=stale", "__Secure-authjs.session-token.0=part; theme=light"]) {
      const response = await get("stale-session-page", { cookie });
      expect(response.status, cookie).toBe(200);
      expect(response.headers.get("cache-control"), cookie).toBe("private, no-cache");
    }
    // A cookie that merely resembles one is not a session.
    expect((await get("stale-session-page", { cookie: "authjs.session-tokens=x; xauthjs.session-token=y" })).headers.get("cache-control")).toBe(shared());
  });

  it("shares nothing with a request whose Accept names Markdown (HTML by q-value, but the CDN can't tell)", async () => {
    const response = await get("md-minded-page", { accept: "text/markdown;q=0.5, text/html" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect((await get("md-minded-page", { accept: "text/html,application/xhtml+xml,*/*;q=0.8" })).headers.get("cache-control")).toBe(shared());
  });

  it("never shares an error: a 404 (OpenNext would make it no-store anyway) or a failure", async () => {
    const missing = await get("missing");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("private, no-cache");
    expect(missing.headers.get("etag")).toBeNull();
    expect((await get("missing", { "if-none-match": "*" })).status).toBe(404);
    const broken = await get("broken");
    expect(broken.status).toBe(503);
    expect(broken.headers.get("cache-control")).toBe("private, no-cache");
    caller.current = ALICE;
    const signedIn = await get("missing", { cookie: "authjs.session-token=abc" });
    expect(signedIn.status).toBe(404);
    expect(signedIn.headers.get("cache-control")).toBe("private, no-cache");
  });

  it("gives one ETag to a page in a theme however often it is asked for (the kept bytes)", async () => {
    const etags = new Set<string | null>();
    for (let i = 0; i < 3; i++) etags.add((await get("kept-page")).headers.get("etag"));
    expect(etags.size).toBe(1);
    expect([...etags][0]).toMatch(/^"[\w-]{27}"$/);
  });
});

it("names the session cookies lib/auth reads", () => {
  expect([...SESSION_COOKIE_NAMES].sort()).toEqual([...SESSION_COOKIES].sort());
});
