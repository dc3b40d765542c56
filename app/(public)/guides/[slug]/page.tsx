import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Markdown } from "@/components/ui/markdown";
import { getCaller } from "@/lib/auth";
import { getCatalogFor } from "@/lib/catalog/read";

type Params = { params: Promise<{ slug: string }> };

async function findGuide(slug: string) {
  return (await getCatalogFor(await getCaller())).guides.find((g) => g.slug === slug);
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const guide = await findGuide((await params).slug);
  return {
    title: guide?.title ?? "Not found",
    description: guide?.summary,
    ...(guide ? { alternates: { types: { "text/markdown": `/guides/${encodeURIComponent(guide.slug)}.md` } } } : {}),
  };
}

export default async function GuidePage({ params }: Params) {
  const guide = await findGuide((await params).slug);
  if (!guide) notFound();
  return (
    <article>
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-500">Guide</p>
      <h1 className="mt-1 mb-6 text-3xl font-bold tracking-tight">{guide.title}</h1>
      <Markdown>{guide.markdown}</Markdown>
    </article>
  );
}
