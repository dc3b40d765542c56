import type { Metadata } from "next";
import Link from "next/link";
import { Markdown } from "@/components/ui/markdown";
import { getPortalSettings } from "@/lib/catalog/settings";
import { pageMetadata, pagePaths, plainDescription } from "@/lib/catalog/sitemap";

export function generateMetadata(): Metadata {
  // The title is the layout's default (the portal's name); the description its tagline, else the home page's text.
  const settings = getPortalSettings();
  return pageMetadata({ path: pagePaths.home(), description: plainDescription(settings.tagline ?? settings.homeMarkdown) });
}

export default function HomePage() {
  const settings = getPortalSettings();
  return (
    <div className="flex flex-col gap-8">
      <Markdown>{settings.homeMarkdown}</Markdown>
      <div className="flex flex-wrap gap-3">
        <Link href="/apis" className="focus-ring rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Browse the APIs
        </Link>
        <Link
          href="/dashboard"
          className="focus-ring rounded-md border border-zinc-300 px-4 py-2 font-semibold hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Go to your dashboard
        </Link>
      </div>
    </div>
  );
}
