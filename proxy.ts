import { NextResponse, type NextRequest } from "next/server";
import { HSTS, nonceCsp, servedSecurely } from "./lib/http/csp";
import { prefersMarkdown } from "./lib/http/markdown";

// Static files, and the docs pages (components/docs/docs-route.tsx), which set their own nonce-free CSP.
// So do the Markdown twins and llms.txt (lib/http/markdown.ts).
const OWN_CSP = /^\/(brand\/|apis\/[^/]+\/(operations|tags)\/|md\/|llms(-full)?\.txt$)/;
// The docs pages that have a Markdown twin (lib/catalog/markdown.ts): the page plus `.md`, or the page with `Accept: text/markdown`.
const DOCS_PAGE = /^\/(apis\/[^/]+(\/(operations|tags)\/[^/]+)?|guides\/[^/]+|products\/[^/]+)$/;
const TWIN = /^(\/(apis\/[^/]+(\/(operations|tags)\/[^/]+)?|guides\/[^/]+|products\/[^/]+))\.md$/;
const API_FULL = /^\/apis\/[^/]+\/llms-full\.txt$/;

/** A fresh nonce per request for Next's inline scripts, and the CSP that pages actually satisfy. */
export function proxy(request: NextRequest) {
  // Next answers a path it can't percent-decode (`/apis/%`, broken UTF-8) with a bare 500 before any route runs.
  if (!decodable(request.nextUrl.pathname)) {
    return NextResponse.json({ error: { code: "bad_request", message: "That address has a broken %-escape in it." } }, { status: 400 });
  }
  const twin = markdownTwin(request);
  if (twin) return NextResponse.rewrite(new URL(`/md${twin}${request.nextUrl.search}`, request.url));
  const page = DOCS_PAGE.test(request.nextUrl.pathname);
  if (OWN_CSP.test(request.nextUrl.pathname)) {
    const response = NextResponse.next();
    if (page) response.headers.set("vary", "Accept");
    return response;
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = nonceCsp(nonce);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (servedSecurely()) response.headers.set("strict-transport-security", HSTS);
  // The same URL answers Markdown to `Accept: text/markdown`.
  if (page) response.headers.append("vary", "Accept");
  return response;
}

/** The path (without `.md`) of the docs page whose Markdown twin is asked for, if one is. */
function markdownTwin(request: NextRequest): string | undefined {
  const { pathname } = request.nextUrl;
  const named = TWIN.exec(pathname);
  if (named) return named[1];
  if (API_FULL.test(pathname)) return pathname;
  if (DOCS_PAGE.test(pathname) && prefersMarkdown(request.headers.get("accept"))) return pathname;
  return undefined;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

// Not for Next's own static files nor the docs pages' stylesheet and script (public/docs-assets/,
// lib/build/docs-assets.ts): they are on every docs page's first paint, and there is nothing to add to them.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg|docs-assets/).*)" }],
};
