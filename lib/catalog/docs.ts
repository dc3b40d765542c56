import { notFound } from "next/navigation";
import { cache } from "react";
import type { Caller } from "../auth/caller";
import { AppError } from "../errors";
import type { ApiDocument } from "../openapi/types";
import { getApiDocument, getApiFor, type CatalogApi, type CatalogProduct } from "./index";

/** An API visible to this caller and its parsed reference, or a 404 page. */
// Cached per request: metadata and the page ask for the same API.
export const getApiDocsOrNotFound = cache(async (slug: string, caller: Caller): Promise<{ api: CatalogApi; products: CatalogProduct[]; document: ApiDocument }> => {
  const found = await getApiFor(slug, caller);
  if (!found) notFound();
  return { ...found, document: await getApiDocument(found.api) };
});

/** The same for route handlers: a 404 AppError instead of the not-found page. */
export async function getApiDocsOrThrow(slug: string, caller: Caller): Promise<{ api: CatalogApi; document: ApiDocument }> {
  const found = await getApiFor(slug, caller);
  if (!found) throw new AppError("not_found", "There is no such API.");
  return { api: found.api, document: await getApiDocument(found.api) };
}
