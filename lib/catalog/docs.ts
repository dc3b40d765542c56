import { notFound } from "next/navigation";
import { cache } from "react";
import { AppError } from "../errors";
import type { ApiDocument } from "../openapi/types";
import { getApiFor } from "./read";
import { getApiDocument } from "./specs";
import type { CatalogApi, CatalogProduct, Viewer } from "./types";

/** An API visible to this viewer and its parsed reference, or a 404 page. */
// Cached per request: metadata and the page ask for the same API.
export const getApiDocsOrNotFound = cache(async (slug: string, viewer: Viewer): Promise<{ api: CatalogApi; products: CatalogProduct[]; document: ApiDocument }> => {
  const found = await getApiFor(slug, viewer);
  if (!found) notFound();
  return { ...found, document: await getApiDocument(found.api) };
});

/** The same for route handlers: a 404 AppError instead of the not-found page. */
export async function getApiDocsOrThrow(slug: string, viewer: Viewer): Promise<{ api: CatalogApi; document: ApiDocument }> {
  const found = await getApiFor(slug, viewer);
  if (!found) throw new AppError("not_found", "There is no such API.");
  return { api: found.api, document: await getApiDocument(found.api) };
}
