import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Markdown } from "@/components/ui/markdown";
import { PageActions } from "@/components/ui/page-actions";
import { getCaller } from "@/lib/auth";
import { siteUrl } from "@/lib/catalog/markdown";
import { getCatalogFor } from "@/lib/catalog/read";
import { pageMetadata, pagePaths, plainDescription } from "@/lib/catalog/sitemap";

type Params = { params: Promise<{ slug: string }> };

const twinOf = (slug: string) => `/guides/${encodeURIComponent(slug)}.md`;

async function findGuide(slug: string) {
  return (await getCatalogFor(await getCaller())).guides.find((g) => g.slug === slug);
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const guide = await findGuide((await params).slug);
  if (!guide) return { title: "Not found" };
  return pageMetadata({
    path: pagePaths.guide(guide.slug),
    title: guide.title,
    description: plainDescription(guide.summary ?? guide.markdown),
    markdownPath: twinOf(guide.slug),
    type: "article",
  });
}

export default async function GuidePage({ params }: Params) {
  const guide = await findGuide((await params).slug);
  if (!guide) notFound();
  return (
    <article>
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">Guide</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{guide.title}</h1>
      <PageActions site={siteUrl()} markdownPath={twinOf(guide.slug)} className="mt-4 mb-6" />
      <Markdown>{guide.markdown}</Markdown>
    </article>
  );
}
