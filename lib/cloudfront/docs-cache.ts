/**
 * What a shared cache (CloudFront deployed, nginx in `npm run bench -- docs-cache`) may keep of the
 * API reference's pages, and what its key is made of. Plain values and functions, no SDK: the docs
 * route (components/docs/docs-route.tsx), infra/web.ts and the bench read the same ones.
 *
 * The key is the path, the `theme` cookie, the session cookies and whether `Accept` names
 * text/markdown (MARKDOWN_KEY_HEADER, set at the edge). Anonymous readers of a page in one theme
 * share one copy; a signed-in request carries its own session token in the key, so it can never be
 * answered with the anonymous copy (and its own answer is `private`, so nothing is stored under it).
 */

/** Auth.js's session cookie names (lib/auth/sessions.ts SESSION_COOKIES; a test keeps them equal). */
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

/** The reader's theme (components/shell/theme.ts): the anonymous page is rendered in it. */
export const THEME_COOKIE = "theme";

/**
 * Set by the edge on every request to "1" when `Accept` names text/markdown, else "0" (a client's own
 * value is replaced): part of the cache key, since the same URL answers Markdown to agents (proxy.ts).
 */
export const MARKDOWN_KEY_HEADER = "x-portico-accept-markdown";

/** The CloudFront distribution in front of the portal, for invalidations (infra/lib/environment.ts sets it; the local sandbox has none). */
export const DISTRIBUTION_ENV = "PORTICO_CDN_DISTRIBUTION_ID";

/** The docs documents the CDN keeps (CloudFront path patterns: `*` spans slashes). */
export const DOCS_PATH_PATTERNS = ["/apis/*/operations/*", "/apis/*/tags/*"] as const;

/** What to invalidate when the catalog changes: every docs page (and its twin) under /apis. */
export const DOCS_INVALIDATION_PATHS = ["/apis/*"] as const;

/** A stale copy may be served this long past its freshness while the edge fetches a new one in the background. */
export const STALE_WHILE_REVALIDATE_SECONDS = 60;

/** Whether the request carries an Auth.js session cookie (possibly chunked: `.0`, `.1`, …). */
export function hasSessionCookie(cookieNames: Iterable<string>): boolean {
  for (const name of cookieNames) {
    if (SESSION_COOKIE_NAMES.some((session) => name === session || name.startsWith(`${session}.`))) return true;
  }
  return false;
}

/** `Accept` names text/markdown at all (a superset of what proxy.ts answers with Markdown). */
export function mentionsMarkdown(accept: string | null | undefined): boolean {
  return !!accept && /text\/markdown/i.test(accept);
}

export interface DocsCacheInput {
  status: number;
  /** The request carries a session cookie (signed in, or a stale session): never shared. */
  session: boolean;
  /** The request's `Accept` header. */
  accept: string | null;
  /** The catalog's refresh interval (catalog/portal.yaml `refreshMinutes`). */
  refreshMinutes: number;
}

/**
 * The `cache-control` of a docs document. Shared only when the reader is anonymous and the answer is
 * the page: browsers revalidate every view (max-age=0, with an ETag that makes it a 304), and a
 * shared cache keeps the page for the catalog's refresh interval — what the server shows is itself
 * up to that old, so a CDN copy adds at most one interval, and an admin refresh invalidates it at
 * once (lib/cloudfront/invalidate.ts). Within the key's "mentions markdown" half, the same URL may
 * answer HTML or Markdown by q-values: nothing there is shared, so no parsing at the edge has to
 * agree with proxy.ts's.
 *
 * Errors are never shared. A 404 would be worth a minute at the edge (a dead link hammered by
 * crawlers), but the deployed server (OpenNext) forces `no-store` on every 404 and 500 to keep
 * Next's own error pages off CDNs, and its opt-out is process-wide; a made-up URL costs one small
 * render, and the WAF's per-IP rate limit bounds a flood. A 503 must not outlive the outage.
 */
export function docsCacheControl({ status, session, accept, refreshMinutes }: DocsCacheInput): string {
  if (session || mentionsMarkdown(accept)) return "private, no-cache";
  if (status !== 200) return "private, no-cache";
  return `public, max-age=0, s-maxage=${refreshMinutes * 60}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
}

/**
 * Code run at the start of the CloudFront Function on every viewer request (after
 * infra/web.ts VIEWER_IP_INJECTION): sets MARKDOWN_KEY_HEADER from `Accept`, replacing what a client
 * sent under that name. CloudFront Functions see header names in lowercase.
 */
export const MARKDOWN_KEY_INJECTION = [
  `{ const accept = event.request.headers.accept;`,
  // A repeated header arrives as multiValue; Node joins them, so the origin sees all of them.
  `  const acceptText = accept ? (accept.multiValue ? accept.multiValue.map((h) => h.value).join(",") : accept.value) : "";`,
  `  event.request.headers[${JSON.stringify(MARKDOWN_KEY_HEADER)}] = { value: /text\\/markdown/i.test(acceptText) ? "1" : "0" }; }`,
].join("\n");

/** A strong validator for a document's bytes: the same bytes give the same tag in every process. */
export function etagOf(digest: string): string {
  return `"${digest}"`;
}

/** Whether `If-None-Match` names the tag (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === bare);
}
