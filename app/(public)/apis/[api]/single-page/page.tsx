import type { Metadata } from "next";
import { RedocView } from "@/components/docs/redoc-view";
import { getCaller } from "@/lib/auth";
import { getApiDocsOrNotFound } from "@/lib/catalog/docs";
import { pageMetadata, pagePaths, plainDescription } from "@/lib/catalog/sitemap";

type Params = { params: Promise<{ api: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { api, document } = await getApiDocsOrNotFound((await params).api, await getCaller());
  return pageMetadata({
    path: `${pagePaths.api(api.slug)}/single-page`,
    title: `${api.name} — single-page reference`,
    description: plainDescription(document.description ?? api.description) ?? `The ${api.name} API's whole reference on one page.`,
  });
}

/** Optional: the whole spec on one page, rendered by Redoc in the browser. */
export default async function SinglePageReference({ params }: Params) {
  const { api } = await getApiDocsOrNotFound((await params).api, await getCaller());
  return (
    <div>
      <p className="text-sm">
        <a href={`/apis/${api.slug}`} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
          ← {api.name} reference
        </a>
      </p>
      <h1 className="mt-2 mb-6 text-3xl font-bold tracking-tight">{api.name}: single-page reference</h1>
      <RedocView specUrl={`/apis/${api.slug}/single-page/spec`} downloadUrl={`/apis/${api.slug}/spec/json`} />
    </div>
  );
}
