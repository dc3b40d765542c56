/**
 * The Markdown twins of the docs pages (`<page>.md`, or the page with `Accept: text/markdown`),
 * `/llms.txt` and `/llms-full.txt`: for AI assistants and agents. Built from the catalog the viewer
 * may see (the same rules as the HTML: what they can't open is a 404, what isn't listed for them
 * isn't in llms.txt) and the parsed specs, kept per process; 0 control-plane calls on a warm view.
 */
import { processCache } from "../cache/process";
import { siteUrl } from "../config";

export { siteUrl };
import { AppError } from "../errors";
import { apiFullMarkdown, apiMarkdown, markdownUrls, MarkdownWriter, oneLine, operationMarkdown, planLimits, tagMarkdown, type MarkdownContext } from "../openapi/markdown";
import { getOperation, getTag } from "../openapi/labels";
import type { ApiDocument } from "../openapi/types";
import { getApiDocument } from "./specs";
import { getCatalogFor, getCatalogWithHiddenFor } from "./read";
import { getPortalSettings } from "./settings";
import type { Catalog, CatalogApi, CatalogProduct, Viewer } from "./types";
import type { GuideFile } from "./files";

/** `/llms-full.txt`: every visible API's overview and operations, cut here with a note. */
export const MAX_LLMS_FULL_CHARS = 1_000_000;
/** `/apis/<api>/llms-full.txt`: one API's, cut here with a note. */
export const MAX_API_FULL_CHARS = 2_000_000;

/** A docs page a twin stands for; `segments` is the page's path without the `.md`. */
export type MarkdownPage =
  | { kind: "api"; api: string }
  | { kind: "operation"; api: string; operation: string }
  | { kind: "tag"; api: string; tag: string }
  | { kind: "api-full"; api: string }
  | { kind: "guide"; slug: string }
  | { kind: "product"; slug: string };

/** The page a path names (["apis", "pets", "operations", "list-pets"]), or undefined. */
export function parseMarkdownPath(segments: string[]): MarkdownPage | undefined {
  const [first, a, b, c, ...rest] = segments;
  if (rest.length || !a || segments.some((s) => !s)) return undefined;
  if (first === "apis") {
    if (b === undefined) return { kind: "api", api: a };
    if (b === "operations" && c !== undefined) return { kind: "operation", api: a, operation: c };
    if (b === "tags" && c !== undefined) return { kind: "tag", api: a, tag: c };
    if (b === "llms-full.txt" && c === undefined) return { kind: "api-full", api: a };
    return undefined;
  }
  if (b !== undefined) return undefined;
  if (first === "guides") return { kind: "guide", slug: a };
  if (first === "products") return { kind: "product", slug: a };
  return undefined;
}


/** The plans that include an API, as its pages show their limits. */
export function markdownContext(site: string, api: CatalogApi, products: CatalogProduct[]): MarkdownContext {
  return {
    site,
    api: { slug: api.slug, name: api.name, stage: api.stage, description: api.description, invokeUrl: api.invokeUrl },
    plans: products
      .filter((p) => p.apiSlugs.includes(api.slug))
      .map((p) => ({ product: p.name, url: productUrl(site, p.slug), throttle: p.plan.throttle, quota: p.plan.quota })),
  };
}

const productUrl = (site: string, slug: string) => `${site}/products/${encodeURIComponent(slug)}.md`;
const guideUrl = (site: string, slug: string) => `${site}/guides/${encodeURIComponent(slug)}.md`;

/** Site-relative links made absolute: an agent reading the text has no page to resolve them against. */
function absoluteLinks(markdown: string, site: string): string {
  return markdown.replace(/(\]\(|<)\/(?!\/)/g, `$1${site}/`);
}

export function guideMarkdown(site: string, guide: GuideFile): string {
  const out = new MarkdownWriter();
  out.line(`# ${guide.title}`).line();
  if (guide.summary) out.line(`> ${guide.summary}`).line();
  for (const l of absoluteLinks(guide.markdown, site).trimEnd().split("\n")) out.line(l);
  return out.toString();
}

export function productMarkdown(site: string, product: CatalogProduct, apis: CatalogApi[]): string {
  const out = new MarkdownWriter();
  out.line(`# ${product.name}`).line();
  if (product.summary) out.line(`> ${product.summary}`).line();
  out.line("## Plan").line();
  out.line(`- Limits: ${planLimits({ product: product.plan.name, url: productUrl(site, product.slug), throttle: product.plan.throttle, quota: product.plan.quota })}`);
  out.line(`- Subscriptions: ${product.approvalRequired ? "approved by the API team" : "immediate"}; subscribe at ${site}/products/${encodeURIComponent(product.slug)}`);
  out.line();
  out.line("## APIs").line();
  const included = product.apiSlugs.flatMap((slug) => apis.filter((a) => a.slug === slug));
  if (!included.length) out.line("None yet.");
  for (const api of included) out.line(`- [${api.name}](${markdownUrls.api(site, api.slug)}) (stage \`${api.stage}\`)${api.description ? `: ${oneLine(api.description)}` : ""}`);
  out.line();
  if (product.description) out.line(absoluteLinks(product.description, site).trim()).line();
  return out.toString();
}

/** The llms.txt convention: H1 title, a blockquote summary, then sections of links to the twins. */
export function llmsTxt(portal: { site: string; name: string; tagline?: string }, catalog: Catalog): string {
  const { site } = portal;
  const lines = [`# ${portal.name}`, "", `> ${portal.tagline ? `${oneLine(portal.tagline)} ` : ""}The developer portal's APIs, plans and guides as Markdown.`, ""];
  lines.push(
    "Every docs page has a Markdown twin at the same address plus `.md` (or the page's address with `Accept: text/markdown`).",
    `All APIs' references in one file: ${site}/llms-full.txt (capped at ${MAX_LLMS_FULL_CHARS / 1_000_000} MB); one API's: ${site}/apis/<api>/llms-full.txt.`,
    "",
    "## APIs",
    "",
  );
  for (const api of catalog.apis) lines.push(`- [${api.name}](${markdownUrls.api(site, api.slug)}): ${api.description ? oneLine(api.description) : `stage ${api.stage}`}. Full reference: ${site}/apis/${encodeURIComponent(api.slug)}/llms-full.txt`);
  lines.push("", "## Products", "");
  for (const product of catalog.products) lines.push(`- [${product.name}](${productUrl(site, product.slug)}): ${oneLine(product.summary ?? product.plan.description ?? "A usage plan.")}`);
  lines.push("", "## Guides", "");
  for (const guide of catalog.guides) lines.push(`- [${guide.title}](${guideUrl(site, guide.slug)})${guide.summary ? `: ${oneLine(guide.summary)}` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** Every listed API's overview and operations, one after another, cut at `budget` characters. */
export async function llmsFullTxt(portal: { site: string; name: string }, catalog: Catalog, loadDocument: (api: CatalogApi) => Promise<ApiDocument>, budget = MAX_LLMS_FULL_CHARS): Promise<string> {
  const out = new MarkdownWriter(budget);
  out.line(`# ${portal.name}: API reference`).line();
  out.line(`> Every API's overview and operations. Cut at ${Math.round(budget / 1000)} KB: one API's whole reference is at ${portal.site}/apis/<api>/llms-full.txt.`).line();
  for (const api of catalog.apis) {
    if (out.full) break;
    const document = await loadDocument(api);
    const text = apiFullMarkdown(markdownContext(portal.site, api, catalog.products), document, budget).replace(/^(#+) /gm, "#$1 ");
    for (const l of text.trimEnd().split("\n")) out.line(l);
    out.line();
  }
  return out.toString();
}

/** What resolving a twin reads: the catalog this viewer may open (admins: with hidden products) and the one listed for them. */
export interface MarkdownSources {
  site: string;
  /** getCatalogWithHiddenFor: pages that open. */
  open: Catalog;
  /** getCatalogFor: what is listed (guides). */
  listed: Catalog;
  loadDocument: (api: CatalogApi) => Promise<ApiDocument>;
}

// Kept per process: API twins are keyed by what they're made of (the spec's identity, the
// catalog entry and its plans' limits), so a refreshed spec or plan starts over.
const twins = processCache<string>("DocsMarkdown", 24_000_000);

function remember(key: unknown[], build: () => string | Promise<string>): string | Promise<string> {
  const k = JSON.stringify(key);
  const kept = twins.get(k);
  if (kept !== undefined) return kept;
  const store = (text: string) => twins.set(k, text, text.length);
  const built = build();
  return typeof built === "string" ? store(built) : built.then(store);
}

function apiKey(api: CatalogApi, products: CatalogProduct[]) {
  const spec = api.spec.source === "file" ? api.spec.file : api.spec.sha;
  const plans = products.filter((p) => p.apiSlugs.includes(api.slug)).map((p) => [p.slug, p.name, p.plan.throttle, p.plan.quota]);
  return [api.slug, api.name, api.stage, api.description, api.invokeUrl, spec, plans];
}

/** A twin's Markdown, or a 404 AppError when the page doesn't exist or isn't for this viewer. */
export async function resolveMarkdown(page: MarkdownPage, sources: MarkdownSources): Promise<string> {
  const { site, open, listed } = sources;
  if (page.kind === "guide") {
    const guide = listed.guides.find((g) => g.slug === page.slug);
    if (!guide) throw new AppError("not_found", "There is no such guide.");
    return guideMarkdown(site, guide);
  }
  if (page.kind === "product") {
    const product = open.products.find((p) => p.slug === page.slug);
    if (!product) throw new AppError("not_found", "There is no such product.");
    return productMarkdown(site, product, open.apis);
  }
  const api = open.apis.find((a) => a.slug === page.api);
  if (!api) throw new AppError("not_found", "There is no such API.");
  const document = await sources.loadDocument(api);
  const ctx = markdownContext(site, api, open.products);
  const key = [site, ...apiKey(api, open.products)];
  switch (page.kind) {
    case "api":
      return remember([...key, "api"], () => apiMarkdown(ctx, document));
    case "api-full":
      return remember([...key, "full"], () => apiFullMarkdown(ctx, document, MAX_API_FULL_CHARS));
    case "operation": {
      const op = getOperation(document, page.operation);
      if (!op) throw new AppError("not_found", "There is no such operation.");
      return remember([...key, "operation", op.slug], () => operationMarkdown(ctx, document, op));
    }
    case "tag": {
      const tag = getTag(document, page.tag);
      if (!tag) throw new AppError("not_found", "There is no such tag.");
      return remember([...key, "tag", tag.slug], () => tagMarkdown(ctx, document, tag));
    }
  }
}

/** The twin of the page at `segments` for this viewer, from the cached catalog: 0 control-plane calls when warm. */
export async function markdownFor(segments: string[], viewer: Viewer): Promise<string> {
  const page = parseMarkdownPath(segments);
  if (!page) throw new AppError("not_found", "There is no Markdown version of that page.");
  const [open, listed] = await Promise.all([getCatalogWithHiddenFor(viewer), getCatalogFor(viewer)]);
  return resolveMarkdown(page, { site: siteUrl(), open, listed, loadDocument: getApiDocument });
}

function portal() {
  const settings = getPortalSettings();
  return { site: siteUrl(), name: settings.name, tagline: settings.tagline };
}

/** `/llms.txt` for this viewer: what is listed for them. */
export async function llmsTxtFor(viewer: Viewer): Promise<string> {
  return llmsTxt(portal(), await getCatalogFor(viewer));
}

/** `/llms-full.txt` for this viewer, kept per process by what it's made of. */
export async function llmsFullTxtFor(viewer: Viewer): Promise<string> {
  const catalog = await getCatalogFor(viewer);
  const p = portal();
  return remember([p.site, p.name, "llms-full", catalog.apis.map((a) => apiKey(a, catalog.products))], () => llmsFullTxt(p, catalog, getApiDocument));
}
