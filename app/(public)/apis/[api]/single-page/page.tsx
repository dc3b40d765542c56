import type { Metadata } from "next";
import { RedocView } from "@/components/docs/redoc-view";
import { getCaller } from "@/lib/auth";
import { getApiDocsOrNotFound } from "@/lib/catalog/docs";

type Params = { params: Promise<{ api: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { api } = await getApiDocsOrNotFound((await params).api, await getCaller());
  return { title: `${api.name} — single-page reference` };
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
