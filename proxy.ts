import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "./lib/config";

/**
 * A fresh nonce per request for Next's inline scripts, and the CSP that pages actually satisfy.
 * Forms may post to the portal itself and to Cognito's managed login (sign-in/out redirects).
 */
let policy: { csp: (nonce: string) => string; secure: boolean } | undefined;

/** Everything but the nonce is fixed for the server's life: work it out once. */
function contentPolicy() {
  if (policy) return policy;
  const config = getConfig();
  const cognito = new URL(config.COGNITO_DOMAIN_URL).origin;
  const secure = config.AUTH_URL.startsWith("https://");
  const dev = process.env.NODE_ENV === "development";
  const csp = (nonce: string) =>
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
      // React style attributes (charts, brand colour) need inline styles; scripts stay nonce-only.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${dev ? " ws:" : ""}`,
      "object-src 'none'",
      "base-uri 'self'",
      `form-action 'self' ${cognito}`,
      "frame-ancestors 'none'",
      ...(secure ? ["upgrade-insecure-requests"] : []),
    ].join("; ");
  policy = { csp, secure };
  return policy;
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const { csp: cspFor, secure } = contentPolicy();
  const csp = cspFor(nonce);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (secure) response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg|brand/).*)" }],
};
