import type { NextConfig } from "next";
import { validateCatalog } from "./lib/catalog/validate";

/** Headers for every response, static files included; CSP and HSTS are set per request in proxy.ts. */
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
export default async function config(): Promise<NextConfig> {
  await validateCatalog();
  return nextConfig;
}
