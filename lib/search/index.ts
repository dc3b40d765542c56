import type MiniSearch from "minisearch";
import { processCache } from "../cache/process";
import { getCatalogFor } from "../catalog/read";
import { getApiDocument } from "../catalog/specs";
import type { Catalog, Viewer } from "../catalog/types";
import { apiDocs, createSearchIndex, guideDoc, productDoc, querySearchIndex, type SearchDoc, type SearchHit } from "./hits";

export type { SearchHit } from "./hits";

/** Per catalog version and audience; a new version's indexes push the old ones out. */
const indexes = processCache<Promise<MiniSearch<SearchDoc>>>("SearchIndexes", 20);

async function documentsFor(catalog: Catalog): Promise<SearchDoc[]> {
  const docs: SearchDoc[] = [...catalog.products.map(productDoc), ...catalog.guides.map(guideDoc)];
  for (const api of catalog.apis) docs.push(...apiDocs(api, await getApiDocument(api).catch(() => undefined)));
  return docs;
}

/** Full-text search over what this viewer may see; one in-memory index per catalog version and audience. */
export async function search(query: string, viewer: Viewer, limit = 30): Promise<SearchHit[]> {
  if (!query.trim()) return [];
  const catalog = await getCatalogFor(viewer);
  const audience = `${catalog.refreshedAt}|${catalog.products.map((p) => p.slug).join(",")}|${catalog.guides.map((g) => g.slug).join(",")}`;
  const index = indexes.remember(audience, async () => createSearchIndex(await documentsFor(catalog)));
  return querySearchIndex(await index, query, limit);
}
