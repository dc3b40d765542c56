import path from "node:path";
import vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { docsCacheBehaviours, docsCachePolicy, DOCS_MAX_TTL_SECONDS } from "@/infra/lib/docs-cache";
import { webStatements } from "@/infra/lib/iam";
import { settingsFor } from "@/infra/lib/settings";
import { INDEX_NAMES } from "@/infra/lib/table";
import { SESSION_COOKIES } from "@/lib/auth/sessions";
import { fixCacheControlForError } from "@opennextjs/aws/utils/cacheHeaders.js";
import { docsCacheControl, DOCS_PATH_PATTERNS, MARKDOWN_KEY_HEADER, THEME_COOKIE } from "@/lib/cloudfront/docs-cache";
import { prefersMarkdown } from "@/lib/http/markdown";
import { root } from "./sdk-calls";

// By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
type Web = { VIEWER_REQUEST_INJECTION: string; createRouter: (settings: unknown) => unknown };
const web = () => import(path.join(root, "infra/web.ts")) as Promise<Web>;

interface CloudFrontHeaders {
  [name: string]: { value: string; multiValue?: { value: string }[] };
}

/** The viewer-request function as SST's Router builds it around the injection (cloudfront-js-2.0). */
async function viewerRequest(injection: string, headers: CloudFrontHeaders): Promise<CloudFrontHeaders> {
  const code = `async function handler(event) {\n  ${injection}\n  return event.request;\n}\nhandler;`;
  const handler = new vm.Script(code).runInNewContext({}) as (event: unknown) => Promise<{ headers: CloudFrontHeaders }>;
  return (await handler({ viewer: { ip: "203.0.113.7" }, request: { method: "GET", uri: "/apis/pets/operations/list-pets", headers } })).headers;
}

/** CloudFront's path-pattern matching: `*` any run of characters (slashes too), `?` one; case-sensitive. */
const matches = (pattern: string, uri: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", ".")}$`,
  ).test(uri);

describe("CloudFront's cache policy for the docs pages", () => {
  const policy = docsCachePolicy();
  const key = policy.parametersInCacheKeyAndForwardedToOrigin;

  it("keys on the theme and session cookies and the edge's Markdown flag, no query string, compressed", () => {
    expect(key.cookiesConfig.cookieBehavior).toBe("whitelist");
    expect([...key.cookiesConfig.cookies.items].sort()).toEqual([THEME_COOKIE, ...SESSION_COOKIES].sort());
    expect(key.headersConfig.headerBehavior).toBe("whitelist");
    expect(key.headersConfig.headers.items).toContain(MARKDOWN_KEY_HEADER);
    // Never Accept itself: every browser's own string would split the cache.
    expect(key.headersConfig.headers.items.map((h) => h.toLowerCase())).not.toContain("accept");
    expect(key.queryStringsConfig).toEqual({ queryStringBehavior: "none" });
    expect(key.enableAcceptEncodingBrotli && key.enableAcceptEncodingGzip).toBe(true);
  });

  it("lets the origin's Cache-Control rule: nothing kept without s-maxage, and up to the longest refresh interval", () => {
    expect(policy.minTtl).toBe(0);
    expect(policy.defaultTtl).toBe(0);
    // catalog/portal.yaml allows refreshMinutes up to 1440: the origin's s-maxage is never cut short.
    expect(policy.maxTtl).toBe(DOCS_MAX_TTL_SECONDS);
    expect(DOCS_MAX_TTL_SECONDS).toBeGreaterThanOrEqual(1440 * 60);
  });

  it("covers the docs route's pages and nothing else", () => {
    const cached = (uri: string) => DOCS_PATH_PATTERNS.some((pattern) => matches(pattern, uri));
    for (const uri of ["/apis/pets/operations/list-pets", "/apis/pets/tags/pets", "/apis/developer-api/operations/get-me"]) expect(cached(uri), uri).toBe(true);
    for (const uri of ["/apis", "/apis/pets", "/api/keys", "/dashboard", "/guides/start", "/_next/static/chunks/a.js", "/apis-x/operations/y"])
      expect(cached(uri), uri).toBe(false);
  });
});

describe("the docs behaviours on the Router's distribution", () => {
  afterEach(() => vi.unstubAllGlobals());

  const defaultBehaviour = {
    targetOriginId: "default",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
    cachedMethods: ["GET", "HEAD"],
    compress: true,
    cachePolicyId: "server-policy",
    originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    functionAssociations: [{ eventType: "viewer-request", functionArn: "arn:aws:cloudfront::123456789012:function/router" }],
    lambdaFunctionAssociations: [{ eventType: "origin-request", lambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:signer:1", includeBody: true }],
  };

  it("copy the default behaviour (routing function, origin request policy, edge signing) with the docs policy", () => {
    const behaviours = docsCacheBehaviours(defaultBehaviour, "docs-policy");
    expect(behaviours.map((b) => b.pathPattern)).toEqual([...DOCS_PATH_PATTERNS]);
    for (const behaviour of behaviours) expect(behaviour).toEqual({ ...defaultBehaviour, pathPattern: behaviour.pathPattern, cachePolicyId: "docs-policy" });
  });

  it("are what createRouter adds to SST's Router distribution, with the policy it creates", async () => {
    const routers: Array<{ args: { transform?: { cdn?: (args: Record<string, unknown>) => void } } }> = [];
    const policies: Array<{ name: string; args: unknown }> = [];
    vi.stubGlobal("$app", { name: "portico", stage: "prod" });
    vi.stubGlobal("sst", {
      aws: {
        Router: class {
          constructor(_: string, args: (typeof routers)[number]["args"]) {
            routers.push({ args });
          }
        },
      },
    });
    vi.stubGlobal("aws", {
      cloudfront: {
        CachePolicy: class {
          id = "docs-policy-id";
          constructor(name: string, args: unknown) {
            policies.push({ name, args });
          }
        },
      },
    });
    // Outputs resolved at once: `$resolve(record).apply(fn)` is fn(record).
    vi.stubGlobal("$resolve", (values: Record<string, unknown>) => ({ apply: (fn: (v: Record<string, unknown>) => unknown) => fn(values) }));
    const { createRouter } = await web();
    createRouter(settingsFor("prod", {}));
    const cdnArgs: Record<string, unknown> = { defaultCacheBehavior: defaultBehaviour };
    routers[0]!.args.transform!.cdn!(cdnArgs);
    expect(policies).toEqual([{ name: "WebDocsCachePolicy", args: docsCachePolicy() }]);
    expect(cdnArgs.orderedCacheBehaviors).toEqual(docsCacheBehaviours(defaultBehaviour, "docs-policy-id"));
    expect(cdnArgs.defaultCacheBehavior).toBe(defaultBehaviour);
  });
});

describe("the edge's Markdown flag (viewer request)", () => {
  const BROWSERS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "*/*",
  ];
  const AGENTS = ["text/markdown", "text/markdown, text/html;q=0.5", "TEXT/MARKDOWN", "text/html;q=0.5, text/markdown"];
  const flag = async (headers: CloudFrontHeaders) => (await viewerRequest((await web()).VIEWER_REQUEST_INJECTION, headers))[MARKDOWN_KEY_HEADER]?.value;

  it("is 0 for browsers and requests without Accept, 1 whenever Accept names text/markdown", async () => {
    for (const accept of BROWSERS) expect(await flag({ accept: { value: accept } }), accept).toBe("0");
    expect(await flag({})).toBe("0");
    for (const accept of AGENTS) expect(await flag({ accept: { value: accept } }), accept).toBe("1");
    // A repeated Accept header: any of its values counts.
    expect(await flag({ accept: { value: "text/html", multiValue: [{ value: "text/html" }, { value: "text/markdown" }] } })).toBe("1");
  });

  it("replaces a client's own value, and keeps the viewer-address header beside it", async () => {
    const headers = await viewerRequest((await web()).VIEWER_REQUEST_INJECTION, { accept: { value: "text/markdown" }, [MARKDOWN_KEY_HEADER]: { value: "0" } });
    expect(headers[MARKDOWN_KEY_HEADER]).toEqual({ value: "1" });
    expect(headers["x-portico-viewer-ip"]).toEqual({ value: "203.0.113.7" });
  });

  it("is 1 for every Accept proxy.ts answers with Markdown, so an HTML copy never meets a Markdown reader", async () => {
    for (const accept of [...BROWSERS, ...AGENTS, "text/plain", "text/markdown;q=0", "text/html;q=0.9, text/markdown;q=0.95"]) {
      if (prefersMarkdown(accept)) expect(await flag({ accept: { value: accept } }), accept).toBe("1");
    }
  });
});

it("sends headers the deployed server (the pinned OpenNext) passes on to CloudFront as they are", () => {
  const page = { "cache-control": docsCacheControl({ status: 200, session: false, accept: "text/html", refreshMinutes: 15 }) };
  fixCacheControlForError(page, 200);
  expect(page["cache-control"]).toBe("public, max-age=0, s-maxage=900, stale-while-revalidate=60");
  // A 404 or 500 leaves OpenNext no-store whatever the route says: why the docs never share errors.
  const missing = { "cache-control": "public, max-age=0, s-maxage=60" };
  fixCacheControlForError(missing, 404);
  expect(missing["cache-control"]).toMatch(/^private, no-cache, no-store/);
  expect(docsCacheControl({ status: 404, session: false, accept: null, refreshMinutes: 15 })).toBe("private, no-cache");
});

it("lets the portal invalidate its own distribution only", () => {
  const distributionArn = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456";
  const statements = webStatements({
    scope: { partition: "aws", region: "eu-west-1" },
    tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
    indexNames: INDEX_NAMES,
    userPoolArn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x",
    distributionArn,
    marketplace: false,
  });
  const cloudfront = statements.filter((s) => s.actions.some((a) => a.startsWith("cloudfront:")));
  expect(cloudfront).toEqual([{ actions: ["cloudfront:CreateInvalidation"], resources: [distributionArn] }]);
});
