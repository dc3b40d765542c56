import { NextResponse, type NextRequest } from "next/server";
import { HSTS, nonceCsp, servedSecurely } from "./lib/http/csp";

// Static files, and the docs pages (components/docs/docs-route.tsx), which set their own nonce-free CSP.
const OWN_CSP = /^\/(brand\/|docs-assets\/|apis\/[^/]+\/(operations|tags)\/)/;

/** A fresh nonce per request for Next's inline scripts, and the CSP that pages actually satisfy. */
export function proxy(request: NextRequest) {
  // Next answers a path it can't percent-decode (`/apis/%`, broken UTF-8) with a bare 500 before any route runs.
  if (!decodable(request.nextUrl.pathname)) {
    return NextResponse.json({ error: { code: "bad_request", message: "That address has a broken %-escape in it." } }, { status: 400 });
  }
  if (OWN_CSP.test(request.nextUrl.pathname)) return NextResponse.next();

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

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg).*)" }],
};
