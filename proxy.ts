import { NextResponse, type NextRequest } from "next/server";
import { HSTS, nonceCsp, servedSecurely } from "./lib/http/csp";

/** A fresh nonce per request for Next's inline scripts, and the CSP that pages actually satisfy. */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = nonceCsp(nonce);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (servedSecurely()) response.headers.set("strict-transport-security", HSTS);
  return response;
}

// Not for static files, nor for the docs pages (lib/docs), which set their own nonce-free CSP.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg|brand/|docs-assets/|apis/[^/]+/operations/|apis/[^/]+/tags/).*)" }],
};
