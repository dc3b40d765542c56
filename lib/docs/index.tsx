/** @jsxImportSource preact */
// The API reference's operation and tag pages as plain HTML documents: rendered once per page and
// kept, served with the reader's theme and header around them, and no inline script (so no nonce,
// no per-request render of the spec, and no RSC payload doubling the HTML).
import type { NextRequest } from "next/server";
import type { VNode } from "preact";
import { render } from "preact-render-to-string";
import { DocsDocument, type DocumentAssets } from "@/components/docs/document";
import { NotFoundPage, OperationPage, TagPage } from "@/components/docs/pages";
import { themeFromCookie } from "@/components/shell/theme";
import { getCaller, type Caller } from "../auth";
import { getApiDocument, getApiFor, getPortalSettings, type CatalogApi } from "../catalog";
import { toErrorBody } from "../errors";
import { HSTS, selfOnlyCsp, servedSecurely } from "../http/csp";
import { getOperation, getTag } from "../openapi/labels";
import type { ApiDocument } from "../openapi/types";

/** A docs page's own content, rendered: what the document wraps in the portal's chrome. */
interface RenderedPage {
  title: string;
  description?: string;
  html: string;
}

// Rendered pages, least recently used first; bounded by their total size (Twilio's 197 operation
// pages are about 20 MB), and keyed by the parsed document's identity so a refreshed spec starts over.
const MAX_CACHED_CHARS = 48_000_000;
const rendered = new Map<string, RenderedPage>();
let cachedChars = 0;
const documentIds = new WeakMap<ApiDocument, number>();
let nextDocumentId = 0;

function remember(key: string, build: () => RenderedPage): RenderedPage {
  const hit = rendered.get(key);
  if (hit) {
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const page = build();
  rendered.set(key, page);
  cachedChars += page.html.length;
  for (const [oldKey, old] of rendered) {
    if (cachedChars <= MAX_CACHED_CHARS || oldKey === key) break;
    rendered.delete(oldKey);
    cachedChars -= old.html.length;
  }
  return page;
}

function pageKey(api: CatalogApi, document: ApiDocument, page: string): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  // The API's presentation comes from the catalog, not the spec: part of the key.
  return JSON.stringify([id, api.slug, api.name, api.stage, api.invokeUrl ?? null, page]);
}

/** The pages this module serves; each returns undefined for a 404. */
export const docsPages = {
  async operation({ api: slug, operation }: { api: string; operation: string }, caller: Caller): Promise<RenderedPage | undefined> {
    const found = await findApi(slug, caller);
    const op = found && getOperation(found.document, operation);
    if (!found || !op) return undefined;
    const signedIn = Boolean(caller.user);
    return remember(pageKey(found.api, found.document, `operation:${op.slug}:${signedIn}`), () => ({
      title: `${op.title} · ${found.api.name}`,
      description: op.summary,
      html: render(<OperationPage api={found.api} document={found.document} operation={op} signedIn={signedIn} />),
    }));
  },
  async tag({ api: slug, tag }: { api: string; tag: string }, caller: Caller): Promise<RenderedPage | undefined> {
    const found = await findApi(slug, caller);
    const t = found && getTag(found.document, tag);
    if (!found || !t) return undefined;
    return remember(pageKey(found.api, found.document, `tag:${t.slug}`), () => ({
      title: `${t.name} · ${found.api.name}`,
      html: render(<TagPage api={found.api} document={found.document} tag={t} />),
    }));
  },
};

async function findApi(slug: string, caller: Caller): Promise<{ api: CatalogApi; document: ApiDocument } | undefined> {
  const found = await getApiFor(slug, caller);
  return found && { api: found.api, document: await getApiDocument(found.api) };
}

let notFound: RenderedPage | undefined;

/** A route handler serving one kind of docs page as a whole HTML document. */
export function docsRoute<P>(page: (params: P, caller: Caller) => Promise<RenderedPage | undefined>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const caller = await getCaller();
    let status = 200;
    let content: RenderedPage;
    try {
      const found = await page(await context.params, caller);
      if (!found) status = 404;
      content = found ?? (notFound ??= { title: "Page not found", html: render(<NotFoundPage />) });
    } catch (error) {
      // The one error path: the same status and message the JSON routes would give.
      const { status: errorStatus, body } = toErrorBody(error);
      if (errorStatus >= 500) console.error("[docs]", request.nextUrl.pathname, error);
      status = errorStatus;
      content = { title: "Unavailable", html: render(<ErrorPage message={body.error.message} />) };
    }
    const html = render(
      <DocsDocument
        title={content.title}
        description={content.description}
        pathname={request.nextUrl.pathname}
        settings={getPortalSettings()}
        caller={caller}
        theme={themeFromCookie(request.cookies.get("theme")?.value)}
        assets={docsAssets()}
        bodyHtml={content.html}
      />,
    );
    const headers = new Headers({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": selfOnlyCsp(),
      // The header shows who is signed in and the theme comes from a cookie: never shared.
      "cache-control": "private, no-cache",
      vary: "Cookie",
    });
    if (servedSecurely()) headers.set("strict-transport-security", HSTS);
    return new Response(`<!DOCTYPE html>${html}`, { status, headers });
  };
}

function ErrorPage({ message }: { message: string }): VNode {
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-3xl font-bold tracking-tight">This page couldn’t be shown</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">{message}</p>
    </div>
  );
}

/** Written by next.config.ts at build (lib/docs/build-assets.ts). */
let assets: DocumentAssets | undefined;
function docsAssets(): DocumentAssets {
  if (assets) return assets;
  const value = process.env.PORTICO_DOCS_ASSETS;
  if (!value) throw new Error("PORTICO_DOCS_ASSETS is not set: the docs assets are built by next.config.ts (next build / next dev)");
  return (assets = JSON.parse(value) as DocumentAssets);
}
