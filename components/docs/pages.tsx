/** @jsxImportSource preact */
import type { CatalogApi } from "@/lib/catalog/types";
import { PageBudget, TAG_PAGE_BUDGET_CHARS } from "@/lib/openapi/budget";
import { toTryItOperation } from "@/lib/openapi/try-it";
import type { ApiDocument, Operation, Tag } from "@/lib/openapi/types";
import { docsHref, DocsShell } from "./docs-shell";
import { CodeSamples } from "./islands/code-samples";
import { Island } from "./islands/island";
import { OperationView } from "./operation-view";
import { PageActions } from "./page-actions";
import { SafeMarkdown } from "./safe-markdown";
import { TagOperationList } from "./tag-operation-list";

/** At 1280 px and up, two columns; below, one (the samples follow the operation). */
const OPERATION_GRID = "grid gap-10 xl:grid-cols-[minmax(0,1fr)_minmax(0,27rem)] 2xl:grid-cols-[minmax(0,1fr)_minmax(0,32rem)]";
/** Sticky beside the operation; scrolls on its own when taller than the window. */
const SIDE_COLUMN = "min-w-0 xl:sticky xl:top-4 xl:max-h-[calc(100vh-2rem)] xl:self-start xl:overflow-y-auto xl:overscroll-contain xl:pb-4";

/**
 * One operation's page. Signed-in readers get their own keys in the samples and a try-it console
 * (islands that load keys after the page shows); everyone else gets samples reading $API_KEY.
 */
export function OperationPage({
  api,
  document,
  operation,
  signedIn,
  site,
}: {
  api: CatalogApi;
  document: ApiDocument;
  operation: Operation;
  signedIn: boolean;
  /** The portal's absolute origin, for the assistants' links (components/docs/page-actions.tsx). */
  site: string;
}) {
  const servers = api.invokeUrl ? [{ url: api.invokeUrl, description: `Stage ${api.stage}` }] : operation.servers;
  const tryIt = toTryItOperation(operation);
  const baseUrl = servers[0]?.url ?? "https://api.example.com";
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(docsHref.operation(api.slug, operation.slug))}`;
  return (
    <DocsShell api={api} document={document} currentSlug={operation.slug}>
      {/* Wide screens: the operation on the left, its samples and try-it beside it in a column that stays in view (as Stripe's and Scalar's references do). */}
      <div className={operation.kind === "operation" ? OPERATION_GRID : undefined}>
        <OperationView
          operation={operation}
          servers={servers}
          specHref={`/apis/${api.slug}/spec/json`}
          actions={<PageActions site={site} markdownPath={`${docsHref.operation(api.slug, operation.slug)}.md`} className="mt-4" />}
        />
        {operation.kind === "operation" && (
          <aside aria-label="Code samples and try it" className={SIDE_COLUMN}>
            {/* One key for the whole column: the samples show it and try-it sends with it (islands/key-store.ts). */}
            {signedIn && !api.portal && <Island name="key-picker" props={{}} className="mb-6 block" />}
            <section aria-labelledby="samples">
              <h2 id="samples" className="mb-3 text-lg font-semibold">
                Code samples
              </h2>
              <CodeSamples operation={tryIt} baseUrl={baseUrl} />
            </section>
            <section aria-labelledby="try-it" className="mt-8">
              <h2 id="try-it" className="mb-3 text-lg font-semibold">
                Try it
              </h2>
              {api.portal ? (
                <p className="text-sm text-zinc-700 dark:text-zinc-300">
                  Call this API from your own client with a portal token from{" "}
                  <a href="/dashboard/tokens" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
                    Dashboard → Tokens
                  </a>
                  : <code className="font-mono text-sm">Authorization: Bearer ptk_…</code>
                </p>
              ) : signedIn ? (
                api.invokeUrl ? (
                  <Island name="try-it" props={{ api: api.slug, operation: tryIt }} />
                ) : (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">This API stage has no invoke URL yet.</p>
                )
              ) : (
                <p className="text-sm text-zinc-700 dark:text-zinc-300">
                  <a href={signInHref} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
                    Sign in
                  </a>{" "}
                  to send real requests with your key.
                </p>
              )}
            </section>
          </aside>
        )}
      </div>
    </DocsShell>
  );
}

/** A tag's page: its description and its operations. */
export function TagPage({ api, document, tag, site }: { api: CatalogApi; document: ApiDocument; tag: Tag; site: string }) {
  return (
    <DocsShell api={api} document={document} currentTagSlug={tag.slug}>
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">{api.name}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{tag.name}</h1>
      <PageActions site={site} markdownPath={`${docsHref.tag(api.slug, tag.slug)}.md`} className="mt-4" />
      {tag.description && (
        <div className="mt-4">
          <SafeMarkdown>{tag.description}</SafeMarkdown>
        </div>
      )}
      <div className="mt-6">
        {/* Bounded like every docs page (lib/openapi/budget.ts): a tag of thousands lists as many as fit. */}
        <TagOperationList operations={tag.operations} hrefFor={(slug) => docsHref.operation(api.slug, slug)} budget={new PageBudget(TAG_PAGE_BUDGET_CHARS)} />
      </div>
    </DocsShell>
  );
}

/** What a docs URL shows when there is nothing there (or nothing this reader may see). */
export function NotFoundPage() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Page not found</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">There is no such page in the API reference, or it isn’t available to you.</p>
      <p className="mt-6">
        <a href="/apis" className="focus-ring rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
          Browse APIs
        </a>
      </p>
    </div>
  );
}

/** What a docs URL shows when the page can't be built (the catalog or the spec is unavailable). */
export function ErrorPage({ message }: { message: string }) {
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-3xl font-bold tracking-tight">This page couldn’t be shown</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">{message}</p>
    </div>
  );
}
