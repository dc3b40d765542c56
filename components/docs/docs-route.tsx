/** @jsxImportSource preact */
// The API reference's operation and tag pages as plain HTML documents: rendered once per page and
// kept, served with the reader's theme and header around them, and no inline script (so no nonce,
// no per-request render of the spec, and no RSC payload doubling the HTML).
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import type { NextRequest } from "next/server";
import { render } from "preact-render-to-string";
import { getCaller, type Caller } from "@/lib/auth";
import type { DocsAssets } from "@/lib/build/docs-assets";
import { processCache } from "@/lib/cache/process";
import { getApiDocsOrThrow } from "@/lib/catalog/docs";
import { siteUrl } from "@/lib/catalog/markdown";
import { getPortalSettings } from "@/lib/catalog/settings";
import { ogImageOf, pagePaths, plainDescription } from "@/lib/catalog/sitemap";
import type { CatalogApi } from "@/lib/catalog/types";
import { docsCacheControl, etagOf, hasSessionCookie, matchesEtag } from "@/lib/cloudfront/docs-cache";
import { AppError, toErrorBody } from "@/lib/errors";
import { HSTS, selfOnlyCsp, servedSecurely } from "@/lib/http/csp";
import { getOperation, getTag } from "@/lib/openapi/labels";
import { criticalCss, styleRulesAt } from "@/lib/styles/critical";
import type { ApiDocument } from "@/lib/openapi/types";
import { themeFromCookie } from "../shell/theme";
import { DocsDocument } from "./document";
import { ErrorPage, NotFoundPage, OperationPage, TagPage } from "./pages";

/** A docs page's own content, rendered: what the document wraps in the portal's chrome. */
interface RenderedPage {
  /** Names this page of this version of the spec and catalog entry. */
  key: string;
  title: string;
  description?: string;
  /** The page's own path (its canonical URL without the origin). */
  path?: string;
  html: string;
}

// Rendered pages, keyed by the parsed document's identity so a refreshed spec starts over (Twilio's
// 197 operation pages are about 10 MB). Anonymous readers all get the same whole document per theme:
// kept as bytes, so their views are a lookup (about 3 in 4 docs views are anonymous on public portals).
const pages = processCache<RenderedPage>("DocsPages", 32_000_000);
// Each with its ETag (a digest of the bytes, so every server gives the same one): revalidation is a 304.
const anonymousDocuments = processCache<{ body: Uint8Array; etag: string }>("DocsAnonymousDocuments", 32_000_000);
// The caches are the process's, but this module may be loaded once per route bundle: each copy
// numbers documents under its own random prefix, so two copies' numbers never name the same key.
const documentIds = new WeakMap<ApiDocument, string>();
const documentIdPrefix = randomUUID();
let nextDocumentId = 0;

function remember(key: string, build: () => Omit<RenderedPage, "key">): RenderedPage {
  const kept = pages.get(key);
  if (kept) return kept;
  const page = { key, ...build() };
  return pages.set(key, page, page.html.length);
}

function pageKey(api: CatalogApi, document: ApiDocument, page: string): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = `${documentIdPrefix}:${nextDocumentId++}`));
  // The API's presentation comes from the catalog, not the spec: part of the key.
  return JSON.stringify([id, api.slug, api.name, api.stage, api.invokeUrl ?? null, page]);
}

/** The pages this module serves; a page that isn't there (or not for this reader) throws a 404 AppError. */
export const docsPages = {
  async operation({ api: slug, operation }: { api: string; operation: string }, caller: Caller): Promise<RenderedPage> {
    const { api, document } = await getApiDocsOrThrow(slug, caller);
    const op = getOperation(document, operation);
    if (!op) throw new AppError("not_found", "There is no such operation.");
    const signedIn = Boolean(caller.user);
    return remember(pageKey(api, document, `operation:${op.slug}:${signedIn}`), () => ({
      title: `${op.title} · ${api.name}`,
      description:
        plainDescription(op.description) ??
        `${op.title}: ${op.kind === "webhook" ? "the webhook" : `${op.method.toUpperCase()} ${op.path}`} in the ${api.name} API.`,
      path: pagePaths.operation(api.slug, op.slug),
      html: render(<OperationPage api={api} document={document} operation={op} signedIn={signedIn} site={siteUrl()} />),
    }));
  },
  async tag({ api: slug, tag }: { api: string; tag: string }, caller: Caller): Promise<RenderedPage> {
    const { api, document } = await getApiDocsOrThrow(slug, caller);
    const t = getTag(document, tag);
    if (!t) throw new AppError("not_found", "There is no such tag.");
    return remember(pageKey(api, document, `tag:${t.slug}`), () => ({
      title: `${t.name} · ${api.name}`,
      description: plainDescription(t.description) ?? `The ${api.name} API's ${t.name} operations.`,
      path: pagePaths.tag(api.slug, t.slug),
      html: render(<TagPage api={api} document={document} tag={t} site={siteUrl()} />),
    }));
  },
};

let notFound: RenderedPage | undefined;
const encoder = new TextEncoder();

/** A route handler serving one kind of docs page as a whole HTML document. */
export function docsRoute<P>(page: (params: P, caller: Caller) => Promise<RenderedPage>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const caller = await getCaller();
    let status = 200;
    let content: RenderedPage;
    try {
      content = await page(await context.params, caller);
    } catch (error) {
      // The one error path: the status and message the JSON routes would give, as a page.
      const { status: errorStatus, body } = toErrorBody(error);
      if (errorStatus >= 500) console.error("[docs]", request.nextUrl.pathname, error);
      status = errorStatus;
      content =
        status === 404
          ? (notFound ??= { key: "", title: "Page not found", html: render(<NotFoundPage />) })
          : { key: "", title: "Unavailable", html: render(<ErrorPage message={body.error.message} />) };
    }
    const theme = themeFromCookie(request.cookies.get("theme")?.value);
    const pathname = request.nextUrl.pathname;
    const documentHtml = (criticalCss?: string) =>
      render(
        <DocsDocument
          title={content.title}
          description={content.description}
          pathname={pathname}
          settings={getPortalSettings()}
          caller={caller}
          theme={theme}
          assets={docsAssets()}
          bodyHtml={content.html}
          markdownHref={status === 200 ? `${pathname}.md` : undefined}
          canonical={status === 200 && content.path ? `${siteUrl()}${content.path}` : undefined}
          image={ogImageOf(siteUrl(), getPortalSettings())}
          criticalCss={criticalCss}
        />,
      );
    // Rendered once to see which classes the page uses, then with those classes' rules inline.
    const whole = () => {
      const draft = documentHtml();
      const css = inlineStyleFor(draft);
      return encoder.encode(`<!DOCTYPE html>${css === undefined ? draft : documentHtml(css)}`);
    };
    // Bytes, not a string: the response then skips re-encoding the whole page on every view.
    // Only real pages are kept (a 404 for every made-up URL would crowd them out).
    let body: Uint8Array;
    let etag: string | undefined;
    if (caller.user || status !== 200) body = whole();
    else {
      const key = JSON.stringify([content.key, theme, pathname]);
      let kept = anonymousDocuments.get(key);
      if (!kept) {
        const bytes = whole();
        kept = anonymousDocuments.set(
          key,
          { body: bytes, etag: etagOf(createHash("sha256").update(bytes).digest("base64url").slice(0, 27)) },
          bytes.byteLength,
        );
      }
      ({ body, etag } = kept);
    }
    // The header shows who is signed in and the theme comes from a cookie: anonymous pages are
    // shared per (path, theme) by the CDN, whose key holds the session cookie too
    // (lib/cloudfront/docs-cache.ts); anything with a session is private.
    const session = Boolean(caller.user) || hasSessionCookie(request.cookies.getAll().map((cookie) => cookie.name));
    const accept = request.headers.get("accept");
    const headers = new Headers({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": selfOnlyCsp(),
      "cache-control": docsCacheControl({ status, session, accept, refreshMinutes: getPortalSettings().refreshMinutes }),
      vary: "Cookie, Accept",
    });
    if (servedSecurely()) headers.set("strict-transport-security", HSTS);
    if (etag) {
      headers.set("etag", etag);
      if (matchesEtag(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    }
    return new Response(body as BodyInit, { status, headers });
  };
}

/** The stylesheet's rules `html` can use, to inline; undefined (link the stylesheet) when the build's split isn't there. */
function inlineStyleFor(html: string): string | undefined {
  const rules = styleRulesAt(path.join(process.cwd(), "public", docsAssets().styleRules));
  if (!rules) return undefined;
  const css = criticalCss(rules, html);
  // Our own Tailwind output; still, nothing in it may end the <style> element early.
  return /<\/style/i.test(css) ? undefined : css;
}

/** Written by next.config.ts at build (lib/build/docs-assets.ts). */
let assets: DocsAssets | undefined;
function docsAssets(): DocsAssets {
  if (assets) return assets;
  const value = process.env.PORTICO_DOCS_ASSETS;
  if (!value) throw new Error("PORTICO_DOCS_ASSETS is not set: the docs assets are built by next.config.ts (next build / next dev)");
  return (assets = JSON.parse(value) as DocsAssets);
}
