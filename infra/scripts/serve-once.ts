/**
 * Loads the OpenNext server function (argv[2]) the way Lambda does and sends it a few requests
 * in the function-URL event format SST uses, with the environment infra/ sets in AWS. Every AWS
 * endpoint points at a closed local port: these pages must render without calling AWS.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { webEnvironment } from "../lib/environment";
import { settingsFor } from "../lib/settings";

const site = "https://portal.example.com";
const loginUrl = "https://portico-ci-123456789012.auth.us-east-1.amazoncognito.com";
Object.assign(process.env, {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "check",
  AWS_SECRET_ACCESS_KEY: "check",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  ...webEnvironment({
    tableName: "portico-ci-table",
    authSecret: "check-infra-secret-check-infra-secret-0123",
    siteUrl: site,
    region: "us-east-1",
    userPoolId: "us-east-1_Check",
    clientId: "check-client",
    clientSecret: "check-client-secret",
    loginUrl,
    selfSignUp: true,
    limits: settingsFor("ci", {}).limits,
    distributionId: "ECHECKINFRA0000",
  }),
  // What SST's Nextjs component adds for OpenNext's incremental cache.
  CACHE_BUCKET_NAME: "portico-ci-assets",
  CACHE_BUCKET_KEY_PREFIX: "_cache",
  CACHE_BUCKET_REGION: "us-east-1",
});

interface Result {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}
type Handler = (event: unknown, context: unknown) => Promise<Result>;

const bundle = path.resolve(process.argv[2] ?? ".open-next/server-functions/default");
/** What CloudFront serves from S3 (public/ and _next/static). */
const assets = path.resolve(process.argv[3] ?? ".open-next/assets");
const { handler } = (await import(pathToFileURL(path.join(bundle, "index.mjs")).href)) as { handler: Handler };

async function get(rawPath: string): Promise<Result & { text: string }> {
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: "",
    cookies: [],
    headers: { host: new URL(site).host, "x-forwarded-proto": "https", accept: "text/html,application/json" },
    requestContext: {
      accountId: "123456789012",
      apiId: "check",
      domainName: new URL(site).host,
      domainPrefix: "portal",
      http: { method: "GET", path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "check-infra" },
      requestId: `check-${rawPath}`,
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
  const result = await handler(event, { awsRequestId: "check", functionName: "check-infra", getRemainingTimeInMillis: () => 20_000 });
  const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : result.body;
  return { ...result, text };
}

const problems: string[] = [];
function expect(ok: boolean, message: string): void {
  if (!ok) problems.push(message);
}

const home = await get("/");
expect(home.statusCode === 200 && home.text.startsWith("<!DOCTYPE html>"), `GET / answered ${home.statusCode}: ${home.text.slice(0, 200)}`);
// proxy.ts builds the CSP from COGNITO_DOMAIN_URL: proof that the environment reached the middleware.
expect(
  (home.headers["content-security-policy"] ?? "").includes(loginUrl),
  "GET / has no CSP allowing the managed login: proxy.ts did not see COGNITO_DOMAIN_URL",
);

const catalog = await get("/apis");
expect(catalog.statusCode === 200, `GET /apis answered ${catalog.statusCode}: ${catalog.text.slice(0, 200)}`);

// A docs page (components/docs/docs-route.tsx): a whole HTML document with its own nonce-free CSP, linking the script and
// stylesheet next.config.ts built into public/ — which must be among the assets that get uploaded.
const docs = await get("/apis/no-such-api/operations/no-such-operation");
expect(docs.statusCode === 404 && docs.text.includes("Page not found"), `GET a missing docs page answered ${docs.statusCode}: ${docs.text.slice(0, 200)}`);
expect(
  /script-src 'self';/.test(docs.headers["content-security-policy"] ?? ""),
  `the docs page's CSP is not script-src 'self': ${docs.headers["content-security-policy"]}`,
);
const linked = [...docs.text.matchAll(/(?:src|href)="(\/docs-assets\/[^"]+)"/g)].map((m) => m[1]!);
expect(linked.length === 2, `the docs page links ${linked.length} docs assets, expected a script and a stylesheet`);
for (const file of linked) expect(existsSync(path.join(assets, file)), `the docs page links ${file}, which is not in ${path.relative(process.cwd(), assets)}`);
// Its own rules inline (lib/styles/critical.ts): the stylesheet's split reached the server function's files.
expect(
  /<style>(?:(?!<\/style>)[\s\S])*@layer utilities\{/.test(docs.text) && /media="print" data-whole-stylesheet/.test(docs.text),
  "the docs page has no inline rules: public/docs-assets/*.rules.json is not in the server function (next.config.ts outputFileTracingIncludes)",
);

const providers = await get("/api/auth/providers");
expect(
  providers.statusCode === 200 && providers.text.includes(`${site}/api/auth/signin/cognito`),
  `GET /api/auth/providers answered ${providers.statusCode}: ${providers.text.slice(0, 200)}`,
);

if (problems.length > 0) {
  console.error(`The server function misbehaves:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("GET / 200, GET /apis 200, a docs page 404 with its assets uploaded and its rules inline, GET /api/auth/providers 200 (Cognito at AUTH_URL)");
process.exit(0);
