/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import type { CatalogApi } from "@/lib/catalog/types";
import type { ApiDocument } from "@/lib/openapi/types";
import { DocsSidebar } from "./docs-sidebar";

export const docsHref = {
  api: (api: string) => `/apis/${api}`,
  tag: (api: string, tag: string) => `/apis/${api}/tags/${tag}`,
  operation: (api: string, operation: string) => `/apis/${api}/operations/${operation}`,
};

export const DOCS_GRID = "grid gap-8 lg:grid-cols-[16rem_minmax(0,1fr)]";

const NAV_DETAILS = "rounded-lg border border-zinc-200 p-2 lg:border-0 lg:p-0 dark:border-zinc-800 lg:[&::details-content]:[content-visibility:visible]";
const NAV_SUMMARY = "focus-ring cursor-pointer rounded px-2 py-1 font-semibold supports-[selector(::details-content)]:lg:hidden";

type Current = { currentSlug?: string; currentTagSlug?: string };

/** The API's reference navigation: its name and version, then its tags and operations. */
export function DocsNav({ api, document, currentSlug, currentTagSlug }: { api: CatalogApi; document: ApiDocument } & Current) {
  return (
    <nav aria-label={`${api.name} reference`} className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
      {/* Phones: the navigation folds behind one line, so the page starts with its content. From
          1024 px it is always open (::details-content); a browser without that keeps the summary. */}
      <details className={NAV_DETAILS}>
        <summary className={NAV_SUMMARY}>
          {api.name} reference <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">v{document.version}</span>
        </summary>
        <a href={docsHref.api(api.slug)} className="focus-ring mt-3 mb-3 block rounded px-2 font-semibold lg:mt-0">
          {api.name} <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">v{document.version}</span>
        </a>
        <DocsSidebar
          tags={document.tags}
          currentSlug={currentSlug}
          currentTagSlug={currentTagSlug}
          hrefForOperation={(slug) => docsHref.operation(api.slug, slug)}
          hrefForTag={(slug) => docsHref.tag(api.slug, slug)}
          apiHref={docsHref.api(api.slug)}
        />
      </details>
    </nav>
  );
}

/** An API's reference: sidebar of tags and operations beside the page's content. */
export function DocsShell({
  api,
  document,
  currentSlug,
  currentTagSlug,
  children,
}: { api: CatalogApi; document: ApiDocument; children: ComponentChildren } & Current) {
  return (
    <div data-wide className={DOCS_GRID}>
      <DocsNav api={api} document={document} currentSlug={currentSlug} currentTagSlug={currentTagSlug} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
