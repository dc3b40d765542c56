import type { Metadata } from "next";
import Link from "next/link";
import { DOCS_GRID, DocsNav } from "@/components/docs/docs-shell";
import { Rendered } from "@/components/ui/rendered";
import { SafeMarkdown } from "@/components/docs/safe-markdown";
import { ApiOverviewIndex } from "@/components/docs/tag-operation-list";
import { CopyButton } from "@/components/ui/copy-button";
import { PageActions } from "@/components/ui/page-actions";
import { SDK_TYPES } from "@/lib/apigateway/types";
import { getCaller } from "@/lib/auth";
import { getApiDocsOrNotFound } from "@/lib/catalog/docs";
import { siteUrl } from "@/lib/catalog/markdown";
import { pageMetadata, pagePaths, plainDescription } from "@/lib/catalog/sitemap";

type Params = { params: Promise<{ api: string }> };

const twinOf = (slug: string) => `/apis/${encodeURIComponent(slug)}.md`;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { api, document } = await getApiDocsOrNotFound((await params).api, await getCaller());
  return pageMetadata({
    path: pagePaths.api(api.slug),
    title: `${api.name} API reference`,
    description: plainDescription(document.description ?? api.description) ?? `The ${api.name} API's reference: its operations, parameters and responses.`,
    // The Markdown twin (proxy.ts), for assistants and agents.
    markdownPath: twinOf(api.slug),
  });
}

export default async function ApiPage({ params }: Params) {
  const caller = await getCaller();
  const { api, products, document } = await getApiDocsOrNotFound((await params).api, caller);
  return (
    <div data-wide className={DOCS_GRID}>
      <Rendered component={DocsNav} props={{ api, document }} />
      <div className="min-w-0">
        <header>
          <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">API reference</p>
          <h1 className="mt-1 text-3xl font-bold tracking-tight">{api.name}</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Version {document.version} · stage {api.stage} · {document.openapiVersion.startsWith("2") ? "Swagger" : "OpenAPI"} {document.openapiVersion}
          </p>
          <PageActions site={siteUrl()} markdownPath={twinOf(api.slug)} className="mt-4" />
        </header>
        {document.description && (
          <div className="mt-6">
            <Rendered component={SafeMarkdown} props={{ children: document.description }} />
          </div>
        )}
        <section aria-labelledby="access" className="mt-8 grid grid-cols-1 gap-4 md:grid-cols-2">
          <div className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 id="access" className="font-semibold">
              Base URL
            </h2>
            {api.invokeUrl ? (
              <div className="mt-2 flex items-center gap-2 rounded-md bg-zinc-900 px-3 py-2">
                <code className="min-w-0 flex-1 truncate font-mono text-sm text-zinc-100">{api.invokeUrl}</code>
                <CopyButton text={api.invokeUrl} label="Copy URL" />
              </div>
            ) : (
              <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Not available yet.</p>
            )}
            {api.portal ? (
              <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
                Served by this portal. Authenticate with a portal token from{" "}
                <Link href="/dashboard/tokens" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
                  Dashboard → Tokens
                </Link>
                .
              </p>
            ) : (
              <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">
                Available in{" "}
                {products.map((p, i) => (
                  <span key={p.slug}>
                    {i > 0 && ", "}
                    <Link
                      href={`/products/${p.slug}`}
                      className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
                    >
                      {p.name}
                    </Link>
                    {/* Only admins get hidden products here. */}
                    {p.hidden && " (hidden)"}
                  </span>
                ))}
                .
              </p>
            )}
          </div>
          <div className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 className="font-semibold">Downloads</h2>
            <p className="mt-2 flex flex-wrap gap-2 text-sm">
              <a
                href={`/apis/${api.slug}/spec/json`}
                className="focus-ring rounded-md border border-zinc-300 px-2.5 py-1 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              >
                OpenAPI (JSON)
              </a>
              <a
                href={`/apis/${api.slug}/spec/yaml`}
                className="focus-ring rounded-md border border-zinc-300 px-2.5 py-1 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              >
                OpenAPI (YAML)
              </a>
              <a
                href={`/apis/${api.slug}/single-page`}
                className="focus-ring rounded-md border border-zinc-300 px-2.5 py-1 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
              >
                Single page (Redoc)
              </a>
            </p>
            {api.sdksOff ? (
              caller.isAdmin && (
                <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
                  SDK downloads are turned off for this API (
                  <Link href="/admin/catalog" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
                    Admin → Catalog
                  </Link>
                  ).
                </p>
              )
            ) : caller.user ? (
              <p className="mt-3 flex flex-wrap gap-2 text-sm">
                <span className="sr-only">SDKs:</span>
                {Object.entries(SDK_TYPES).map(([type, { label }]) => (
                  <a
                    key={type}
                    href={`/apis/${api.slug}/sdks/${type}`}
                    className="focus-ring rounded-md border border-zinc-300 px-2.5 py-1 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
                  >
                    {label} SDK
                  </a>
                ))}
              </p>
            ) : (
              <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
                <Link
                  href={`/signin?callbackUrl=${encodeURIComponent(`/apis/${api.slug}`)}`}
                  className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
                >
                  Sign in
                </Link>{" "}
                to download SDKs.
              </p>
            )}
          </div>
        </section>
        {/* Every tag, within the page's budget (lib/openapi/budget.ts): 5,000 tags still make a page under 1 MB. */}
        <Rendered component={ApiOverviewIndex} props={{ api: { slug: api.slug }, tags: document.tags }} className="contents" />
      </div>
    </div>
  );
}
