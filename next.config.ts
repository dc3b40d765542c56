import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD } from "next/constants";
import { validateCatalog } from "./lib/catalog/validate";
import { buildDocsAssets } from "./lib/docs/build-assets";

/** Headers for every response, static files included; CSP and HSTS are set per request (proxy.ts, lib/docs). */
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
  // The owner's catalog is read at runtime: ship it with the server bundle.
  outputFileTracingIncludes: { "/**": ["./catalog/**/*"], "/vendor/redoc": ["./node_modules/redoc/bundles/redoc.standalone.js"] },
  experimental: { authInterrupts: true },
  // `npm run typecheck` (tsc over the whole repo) is the type gate; don't pay for it twice per build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

// An invalid catalog/ fails the build (and `next dev`) with the file and place, never a page at runtime.
// Builds also write the docs pages' script and stylesheet; their URLs reach the server as env.
export default async function config(phase: string): Promise<NextConfig> {
  await validateCatalog();
  if (phase !== PHASE_PRODUCTION_BUILD && phase !== PHASE_DEVELOPMENT_SERVER) return nextConfig;
  // Build workers load this file again: they inherit the first build's result.
  if (!process.env.PORTICO_DOCS_ASSETS) {
    process.env.PORTICO_DOCS_ASSETS = JSON.stringify(await buildDocsAssets());
  }
  return { ...nextConfig, env: { PORTICO_DOCS_ASSETS: process.env.PORTICO_DOCS_ASSETS } };
}
