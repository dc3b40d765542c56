import MiniSearch from "minisearch";
import { processCache } from "../cache/process";
import { getCatalogFor } from "../catalog/read";
import { getApiDocument } from "../catalog/specs";
import type { Catalog, Viewer } from "../catalog/types";

export interface SearchHit {
  kind: "product" | "api" | "operation" | "guide";
  title: string;
  /** Where it lives: the API for operations, "Plan" / "API" / "Guide" otherwise. */
  context: string;
  href: string;
  snippet?: string;
  method?: string;
  path?: string;
}

interface SearchDoc extends SearchHit {
  id: string;
  text: string;
}

const MAX_TEXT = 2_000;
/** Per catalog version and audience; a new version's indexes push the old ones out. */
const indexes = processCache<Promise<MiniSearch<SearchDoc>>>("SearchIndexes", 20);

async function documentsFor(catalog: Catalog): Promise<SearchDoc[]> {
  const docs: SearchDoc[] = [];
  for (const product of catalog.products) {
    docs.push({
      id: `product:${product.slug}`,
      kind: "product",
      title: product.name,
      context: "Plan",
      href: `/products/${product.slug}`,
      snippet: product.summary,
      text: `${product.summary ?? ""} ${product.description ?? ""}`,
    });
  }
  for (const guide of catalog.guides) {
    docs.push({
      id: `guide:${guide.slug}`,
      kind: "guide",
      title: guide.title,
      context: "Guide",
      href: `/guides/${guide.slug}`,
      snippet: guide.summary,
      text: guide.markdown.slice(0, MAX_TEXT * 5),
    });
  }
  for (const api of catalog.apis) {
    const document = await getApiDocument(api).catch(() => undefined);
    docs.push({
      id: `api:${api.slug}`,
      kind: "api",
      title: api.name,
      context: "API",
      href: `/apis/${api.slug}`,
      snippet: document?.description?.slice(0, 200) ?? api.description,
      text: document?.description ?? api.description ?? "",
    });
    for (const operation of document?.operations.values() ?? []) {
      docs.push({
        id: `operation:${api.slug}:${operation.slug}`,
        kind: "operation",
        title: operation.title,
        context: api.name,
        href: `/apis/${api.slug}/operations/${operation.slug}`,
        method: operation.method.toUpperCase(),
        path: operation.path,
        snippet: operation.summary,
        text: `${operation.path} ${operation.operationId ?? ""} ${operation.tags.join(" ")} ${(operation.description ?? "").slice(0, MAX_TEXT)}`,
      });
    }
  }
  return docs;
}

async function buildIndex(catalog: Catalog): Promise<MiniSearch<SearchDoc>> {
  const index = new MiniSearch<SearchDoc>({
    fields: ["title", "path", "text", "context"],
    storeFields: ["kind", "title", "context", "href", "snippet", "method", "path"],
    searchOptions: { boost: { title: 3, path: 2 }, prefix: true, fuzzy: 0.2, combineWith: "AND" },
  });
  index.addAll(await documentsFor(catalog));
  return index;
}

/** Full-text search over what this viewer may see; one in-memory index per catalog version and audience. */
export async function search(query: string, viewer: Viewer, limit = 30): Promise<SearchHit[]> {
  const trimmed = query.trim().slice(0, 200);
  if (!trimmed) return [];
  const catalog = await getCatalogFor(viewer);
  const audience = `${catalog.refreshedAt}|${catalog.products.map((p) => p.slug).join(",")}|${catalog.guides.map((g) => g.slug).join(",")}`;
  const index = indexes.remember(audience, () => buildIndex(catalog));
  return (await index)
    .search(trimmed)
    .slice(0, limit)
    .map((hit) => ({
      kind: hit.kind as SearchHit["kind"],
      title: hit.title as string,
      context: hit.context as string,
      href: hit.href as string,
      ...(hit.snippet ? { snippet: hit.snippet as string } : {}),
      ...(hit.method ? { method: hit.method as string, path: hit.path as string } : {}),
    }));
}
