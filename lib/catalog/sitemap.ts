/**
 * The portal's pages for search engines and link previews: `/sitemap.xml` (app/sitemap.ts),
 * `/robots.txt` (app/robots.ts) and each public page's canonical URL, description and OpenGraph
 * tags (the App Router pages' metadata, and components/docs/document.tsx for the docs pages).
 * The sitemap lists what an anonymous visitor may open, from the cached catalog and parsed specs:
 * 0 control-plane calls when warm.
 */
import type { Metadata, MetadataRoute } from "next";
import type { ApiDocument } from "../openapi/types";
import { siteUrl } from "./markdown";
import { getCatalogFor } from "./read";
import { getPortalSettings, type PortalSettings } from "./settings";
import { getApiDocument } from "./specs";
import type { Catalog, CatalogApi } from "./types";

/** The sitemap protocol's limit per file. A bigger portal is cut here (API overviews, products and guides first). */
export const MAX_SITEMAP_URLS = 50_000;

/** Meta descriptions: what search results show of them. */
export const MAX_DESCRIPTION_CHARS = 160;

/** The paths the App Router and the docs routes serve pages at (encoded, as links use them). */
export const pagePaths = {
  home: () => "/",
  apis: () => "/apis",
  api: (api: string) => `/apis/${encodeURIComponent(api)}`,
  tag: (api: string, tag: string) => `/apis/${encodeURIComponent(api)}/tags/${encodeURIComponent(tag)}`,
  operation: (api: string, operation: string) => `/apis/${encodeURIComponent(api)}/operations/${encodeURIComponent(operation)}`,
  guide: (slug: string) => `/guides/${encodeURIComponent(slug)}`,
  product: (slug: string) => `/products/${encodeURIComponent(slug)}`,
};

/** What the sitemap needs of a parsed spec. */
export type SitemapDocument = Pick<ApiDocument, "tags" | "operations">;

/**
 * Every page of `catalog` (as an anonymous visitor sees it) with absolute URLs, at most `limit`.
 * `documents` holds each API's parsed spec; an API without one (its spec failed) lists its overview only.
 */
export function sitemapUrls(site: string, catalog: Pick<Catalog, "apis" | "products" | "guides">, documents: ReadonlyMap<string, SitemapDocument>, limit = MAX_SITEMAP_URLS): string[] {
  const paths = new Set<string>([pagePaths.home(), pagePaths.apis()]);
  for (const product of catalog.products) paths.add(pagePaths.product(product.slug));
  for (const guide of catalog.guides) paths.add(pagePaths.guide(guide.slug));
  for (const api of catalog.apis) paths.add(pagePaths.api(api.slug));
  for (const api of catalog.apis) {
    if (paths.size >= limit) break;
    const document = documents.get(api.slug);
    if (!document) continue;
    for (const tag of document.tags) paths.add(pagePaths.tag(api.slug, tag.slug));
    for (const slug of document.operations.keys()) {
      if (paths.size >= limit) break;
      paths.add(pagePaths.operation(api.slug, slug));
    }
  }
  return [...paths].slice(0, limit).map((p) => `${site}${p}`);
}

/** `/sitemap.xml`: what an anonymous visitor may open, from the cached catalog and specs. */
export async function publicSitemap(): Promise<MetadataRoute.Sitemap> {
  const catalog = await getCatalogFor({ isAdmin: false, user: null });
  const documents = new Map<string, SitemapDocument>();
  await Promise.all(
    catalog.apis.map(async (api: CatalogApi) => {
      // A spec that fails to load still has its overview page (which says so).
      const document = await getApiDocument(api).catch(() => undefined);
      if (document) documents.set(api.slug, document);
    }),
  );
  return sitemapUrls(siteUrl(), catalog, documents).map((url) => ({ url }));
}

/** The signed-in, admin and machine areas: nothing there for a search engine. */
export const ROBOTS_DISALLOW = ["/dashboard", "/admin", "/account", "/api/", "/mcp", "/md/"];

export function robotsFor(site: string): MetadataRoute.Robots {
  return { rules: [{ userAgent: "*", allow: "/", disallow: ROBOTS_DISALLOW }], sitemap: `${site}/sitemap.xml` };
}

/**
 * Markdown (or a spec's CommonMark) as one line of plain text for a meta description: no markup,
 * links as their text, code blocks and HTML dropped, cut at a word near `max` characters.
 */
export function plainDescription(markdown: string | undefined, max = MAX_DESCRIPTION_CHARS): string | undefined {
  if (!markdown) return undefined;
  // Only the start can show: bounds the work on a long description.
  const text = withoutCodeBlocks(markdown.slice(0, max * 20))
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<\/?[a-zA-Z][^<>]*>/g, " ") // HTML tags (their text stays)
    .replace(/!\[([^\]\n]*)\]\([^)\n]*\)/g, "$1") // images: their alt text
    .replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, "$1") // links: their text
    .replace(/\[([^\]\n]*)\]\[[^\]\n]*\]/g, "$1") // reference links
    .replace(/^ {0,3}\[[^\]\n]+\]:[^\n]*$/gm, " ") // link definitions
    .replace(/^ {0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "") // headings, quotes, list markers
    .replace(/^ {0,3}([-*_])( *\1){2,} *$/gm, " ") // rules
    .replace(/^\s*\|?( *:?-+:? *\|)+ *:?-*:? *$/gm, " ") // table separators
    .replace(/\|/g, " ")
    .replace(/(\*\*|__|~~|`+)/g, "")
    .replace(/(^|[\s(])[*_]([^\s*_][^*_\n]*?)[*_](?=[\s.,;:!?)]|$)/gm, "$1$2") // *emphasis*
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (_, e: string) => ({ nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!)
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return undefined;
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/** The lines outside fenced code blocks. */
function withoutCodeBlocks(markdown: string): string {
  let fence: string | undefined;
  const kept: string[] = [];
  for (const line of markdown.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (marker) fence = marker;
    else kept.push(line);
  }
  return kept.join("\n");
}

/** og:image: the owner's logo if it's a PNG (link previews don't show SVG); no image otherwise. */
export function ogImageOf(site: string, settings: Pick<PortalSettings, "logo">): string | undefined {
  return settings.logo?.endsWith(".png") ? `${site}/brand/logo` : undefined;
}

/**
 * A public page's metadata: its title (the root layout adds the portal's name), description,
 * absolute canonical URL without a query string, OpenGraph and the Twitter card (which reads the
 * og: tags). `path` is the page's own path, e.g. pagePaths.guide(slug).
 */
export function pageMetadata(page: { path: string; title?: string; description?: string; markdownPath?: string; type?: "website" | "article" }): Metadata {
  const site = siteUrl();
  const settings = getPortalSettings();
  const url = `${site}${page.path}`;
  const description = page.description ?? plainDescription(settings.tagline);
  const image = ogImageOf(site, settings);
  return {
    ...(page.title ? { title: page.title } : {}),
    ...(description ? { description } : {}),
    alternates: { canonical: url, ...(page.markdownPath ? { types: { "text/markdown": page.markdownPath } } : {}) },
    openGraph: {
      type: page.type ?? "website",
      siteName: settings.name,
      title: page.title ?? settings.name,
      ...(description ? { description } : {}),
      url,
      ...(image ? { images: [{ url: image }] } : {}),
    },
    twitter: { card: "summary" },
  };
}
