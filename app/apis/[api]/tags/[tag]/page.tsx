import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { docsHref, DocsShell } from "@/components/docs/docs-shell";
import { SafeMarkdown } from "@/components/docs/safe-markdown";
import { TagOperationList } from "@/components/docs/tag-operation-list";
import { getCaller } from "@/lib/auth";
import { getApiDocsOrNotFound } from "@/lib/catalog/docs";
import { getTag } from "@/lib/openapi";

type Params = { params: Promise<{ api: string; tag: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { api: apiSlug, tag: tagSlug } = await params;
  const { api, document } = await getApiDocsOrNotFound(apiSlug, await getCaller());
  return { title: `${getTag(document, tagSlug)?.name ?? "Not found"} · ${api.name}` };
}

export default async function TagPage({ params }: Params) {
  const { api: apiSlug, tag: tagSlug } = await params;
  const { api, document } = await getApiDocsOrNotFound(apiSlug, await getCaller());
  const tag = getTag(document, tagSlug);
  if (!tag) notFound();
  return (
    <DocsShell api={api} document={document} currentTagSlug={tag.slug}>
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">{api.name}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{tag.name}</h1>
      {tag.description && (
        <div className="mt-4">
          <SafeMarkdown>{tag.description}</SafeMarkdown>
        </div>
      )}
      <div className="mt-6">
        <TagOperationList operations={tag.operations} hrefFor={(slug) => docsHref.operation(api.slug, slug)} />
      </div>
    </DocsShell>
  );
}
