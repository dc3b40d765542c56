import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants";
import { runPrepare } from "./lib/build/run-prepare";

/** Headers for every response, static files included; CSP and HSTS are set per request (proxy.ts, components/docs/docs-route.tsx). */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

const nextConfig: NextConfig = {
  // Lets benchmarks build a second copy without touching the one the e2e suite uses.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // The AWS SDK is large and server-only: keep it out of the bundle and load it from node_modules.
  serverExternalPackages: ["@aws-sdk/client-api-gateway", "@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"],
  // The owner's catalog is read at runtime, as is the docs stylesheet split into rules (lib/styles/critical.ts): ship them with the server bundle.
  outputFileTracingIncludes: {
    "/**": ["./catalog/**/*", "./public/docs-assets/*.rules.json"],
    "/vendor/redoc": ["./node_modules/redoc/bundles/redoc.standalone.js"],
  },
  experimental: { authInterrupts: true },
  // `npm run typecheck` (tsc over the whole repo) is the type gate; don't pay for it twice per build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

/**
 * Under `next dev` only, more large server-only packages are loaded from node_modules rather than
 * compiled, which keeps first compiles short (bench/dev.ts). Not for builds: a production bundle is
 * compiled once, and its output tracing misses some of these packages' own dynamic requires (e.g.
 * js-yaml under swagger-parser), which `npm run check:infra` catches. Packages that render React stay bundled.
 */
const DEV_EXTERNAL_PACKAGES = [
  "@aws-sdk/client-cognito-identity-provider",
  "@aws-sdk/client-marketplace-metering",
  "@aws-sdk/client-s3",
  "@smithy/util-retry",
  "@auth/dynamodb-adapter",
  "@apidevtools/swagger-parser",
  "swagger2openapi",
  "openapi-sampler",
  "minisearch",
  "preact",
  "preact-render-to-string",
  "unified",
  "remark-parse",
  "remark-gfm",
  "remark-rehype",
  "sns-validator",
  "yaml",
  "zod",
];

// An invalid catalog/ fails the build (and `next dev`) with the file and place, never a page at runtime.
// Builds also write the docs pages' script and stylesheet; their URLs reach the server as env. Both
// run in lib/build/prepare.ts, a process of its own, once per command: Next loads this file in several
// processes (build workers, the dev server), which inherit the first load's result through env, as
// does a `next dev` started by `npm run dev`, which prepares beside the sandbox starting.
export default async function config(phase: string): Promise<NextConfig> {
  if (phase !== PHASE_PRODUCTION_BUILD && phase !== PHASE_DEVELOPMENT_SERVER) {
    if (!process.env.PORTICO_CATALOG_CHECKED) await runPrepare({ check: true });
    process.env.PORTICO_CATALOG_CHECKED = "1";
    return nextConfig;
  }
  process.env.PORTICO_DOCS_ASSETS ??= JSON.stringify(await runPrepare());
  const serverExternalPackages = [...nextConfig.serverExternalPackages!, ...(phase === PHASE_DEVELOPMENT_SERVER ? DEV_EXTERNAL_PACKAGES : [])];
  return { ...nextConfig, serverExternalPackages, env: { PORTICO_DOCS_ASSETS: process.env.PORTICO_DOCS_ASSETS } };
}
