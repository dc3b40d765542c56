import MiniSearch from "minisearch";
import type { GuideFile } from "../catalog/files";
import type { CatalogApi, CatalogProduct } from "../catalog/types";
import type { ApiDocument, Operation } from "../openapi/types";

/**
 * One search result, ready to show as it is: the header's dropdown, the /search page and the MCP
 * server's search_docs tool all print `label`, `title` and `snippet` without adding to them.
 */
export interface SearchHit {
  kind: "product" | "api" | "operation" | "guide";
  title: string;
  /**
   * What and where it is, said once: "GET /pets · Pets API" for an operation ("Webhook newPet ·
   * Pets API" for a webhook), else the kind as the site names it ("API", "Plan", "Guide").
   */
  label: string;
  href: string;
  /** A sentence that adds to the title (never the title again), when the source has one. */
  snippet?: string;
  method?: string;
  path?: string;
}

/** The kinds' names on the site (a catalog "product" is a usage plan: its page says "Plan"). */
export const KIND_LABEL = { product: "Plan", api: "API", guide: "Guide" } as const;

export interface SearchDoc extends SearchHit {
  id: string;
  /** The API an operation belongs to (searchable, not shown apart from the label). */
  api?: string;
  text: string;
}

const MAX_TEXT = 2_000;
const SNIPPET_CHARS = 160;

export function operationLabel(operation: Pick<Operation, "kind" | "method" | "path">, apiName: string): string {
  const where = operation.kind === "webhook" ? `Webhook ${operation.path}` : `${operation.method.toUpperCase()} ${operation.path}`;
  return `${where} · ${apiName}`;
}

/** Markdown (or HTML-ish text) as one line of plain text: links to their text, no markup, no code blocks. */
export function plainText(markdown: string): string {
  return markdown
    .slice(0, MAX_TEXT)
    .replace(/```[\s\S]*?(```|$)/g, " ")
    .replace(/^\s{0,3}#{1,6}\s.*$/gm, " ")
    .replace(/<[^>]{0,200}>/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/^\s{0,3}(>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/(\*\*|__|[*_`~])/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const SENTENCE = /^.+?[.!?](?=\s+[A-Z0-9(“"']|\s*$)/;

/** The first sentence of plain text, cut at a word near SNIPPET_CHARS if it runs on. */
export function firstSentence(text: string): string {
  return shorten(SENTENCE.exec(text)?.[0] ?? text);
}

/** The first few sentences of plain text, each shortened as firstSentence does. */
function sentences(text: string, most = 3): string[] {
  const found: string[] = [];
  let rest = text.trim();
  while (rest && found.length < most) {
    const sentence = SENTENCE.exec(rest)?.[0] ?? rest;
    found.push(shorten(sentence));
    rest = rest.slice(sentence.length).trim();
  }
  return found;
}

function shorten(sentence: string): string {
  if (sentence.length <= SNIPPET_CHARS) return sentence;
  const cut = sentence.slice(0, SNIPPET_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${(space > SNIPPET_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

const comparable = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * The first sentence (of a candidate's first three) that says something the title doesn't: not
 * empty, not the title again, not a part of it. Candidates are Markdown, best first (a description before a
 * summary, since an operation's title usually is its summary).
 */
export function usefulSnippet(title: string, ...candidates: (string | undefined)[]): string | undefined {
  const heading = comparable(title);
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const sentence of sentences(plainText(candidate))) {
      const said = comparable(sentence);
      if (said && !heading.includes(said)) return sentence;
    }
  }
  return undefined;
}

export function productDoc(product: Pick<CatalogProduct, "slug" | "name" | "summary" | "description">): SearchDoc {
  return {
    id: `product:${product.slug}`,
    kind: "product",
    title: product.name,
    label: KIND_LABEL.product,
    href: `/products/${product.slug}`,
    ...optional("snippet", usefulSnippet(product.name, product.summary, product.description)),
    text: `${product.summary ?? ""} ${product.description ?? ""}`,
  };
}

export function guideDoc(guide: Pick<GuideFile, "slug" | "title" | "summary" | "markdown">): SearchDoc {
  return {
    id: `guide:${guide.slug}`,
    kind: "guide",
    title: guide.title,
    label: KIND_LABEL.guide,
    href: `/guides/${guide.slug}`,
    ...optional("snippet", usefulSnippet(guide.title, guide.summary, guide.markdown)),
    text: guide.markdown.slice(0, MAX_TEXT * 5),
  };
}

/** An API and, when its document loaded, each of its operations. */
export function apiDocs(api: Pick<CatalogApi, "slug" | "name" | "description">, document: ApiDocument | undefined): SearchDoc[] {
  const description = document?.description ?? api.description;
  const docs: SearchDoc[] = [
    {
      id: `api:${api.slug}`,
      kind: "api",
      title: api.name,
      label: KIND_LABEL.api,
      href: `/apis/${api.slug}`,
      ...optional("snippet", usefulSnippet(api.name, description, api.description)),
      text: (description ?? "").slice(0, MAX_TEXT * 5),
    },
  ];
  for (const operation of document?.operations.values() ?? []) {
    docs.push({
      id: `operation:${api.slug}:${operation.slug}`,
      kind: "operation",
      title: operation.title,
      label: operationLabel(operation, api.name),
      href: `/apis/${api.slug}/operations/${operation.slug}`,
      method: operation.method.toUpperCase(),
      path: operation.path,
      ...optional("snippet", usefulSnippet(operation.title, operation.description, operation.summary)),
      api: api.name,
      text: `${operation.operationId ?? ""} ${operation.tags.join(" ")} ${(operation.description ?? "").slice(0, MAX_TEXT)}`,
    });
  }
  return docs;
}

const STORED = ["kind", "title", "label", "href", "snippet", "method", "path"] as const;

export function createSearchIndex(docs: SearchDoc[]): MiniSearch<SearchDoc> {
  const index = new MiniSearch<SearchDoc>({
    fields: ["title", "path", "api", "text"],
    storeFields: [...STORED],
    searchOptions: { boost: { title: 3, path: 2 }, prefix: true, fuzzy: 0.2, combineWith: "AND" },
  });
  index.addAll(docs);
  return index;
}

export function querySearchIndex(index: MiniSearch<SearchDoc>, query: string, limit: number): SearchHit[] {
  const trimmed = query.trim().slice(0, 200);
  if (!trimmed) return [];
  return index
    .search(trimmed)
    .slice(0, limit)
    .map((hit) => ({
      kind: hit.kind as SearchHit["kind"],
      title: hit.title as string,
      label: hit.label as string,
      href: hit.href as string,
      ...(hit.snippet ? { snippet: hit.snippet as string } : {}),
      ...(hit.method ? { method: hit.method as string, path: hit.path as string } : {}),
    }));
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
