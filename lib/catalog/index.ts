import { createHash } from "node:crypto";
import { revalidateTag, unstable_cache } from "next/cache";
import { cache } from "react";
import { generateSdk, type SdkType } from "../apigateway";
import type { Caller } from "../auth/caller";
import type { SubscribeTarget } from "../access/subscriptions";
import type { MarketplaceProduct } from "../marketplace/lifecycle";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { TAGS } from "../constants";
import { loadApiDocument, type ApiDocument } from "../openapi";
import { buildCatalog, specText, visibleTo, type Catalog, type CatalogApi, type CatalogProduct } from "./catalog";
import { getPortalSettings } from "./settings";

export { canSee, slugify, type Catalog, type CatalogApi, type CatalogProduct } from "./catalog";
export { getPortalSettings, type PortalSettings } from "./settings";

/**
 * Cached for `refreshMinutes` (catalog/portal.yaml) and shared by every request: a warm page
 * view makes zero control-plane calls. If a refresh fails, the last good catalog keeps serving.
 *
 * Next bundles this module separately for pages and for route handlers, and `unstable_cache` keys
 * entries by its callback's source text, so the cache lives on `globalThis`: one per process,
 * whichever bundle asks first. Concurrent misses share the one read in flight.
 */
interface CatalogCache {
  read: () => Promise<Catalog>;
  inflight?: Promise<Catalog>;
  lastGood?: Catalog;
}
const processWide = globalThis as typeof globalThis & { __porticoCatalog?: CatalogCache };

/** The cache key names the account it describes, so a cache that outlives a deployment can't leak into another. */
function accountKey(): string[] {
  const config = getConfig();
  return [config.AWS_REGION, config.COGNITO_USER_POOL_ID, process.env.AWS_ENDPOINT_URL_API_GATEWAY ?? process.env.AWS_ENDPOINT_URL ?? "aws"];
}

function catalogCache(): CatalogCache {
  return (processWide.__porticoCatalog ??= {
    read: unstable_cache(() => buildCatalog(), ["portico-catalog-v1", ...accountKey()], {
      tags: [TAGS.catalog],
      revalidate: getPortalSettings().refreshMinutes * 60,
    }),
  });
}

export async function getCatalog(): Promise<Catalog> {
  const cached = catalogCache();
  cached.inflight ??= cached.read().finally(() => (cached.inflight = undefined));
  try {
    cached.lastGood = await cached.inflight;
    return cached.lastGood;
  } catch (error) {
    const lastGood = cached.lastGood;
    console.error("[catalog] refresh failed:", (error as Error).message);
    if (lastGood) return { ...lastGood, problems: [...lastGood.problems, `Last refresh failed: ${(error as Error).message}`] };
    return { products: [], apis: [], guides: [], refreshedAt: new Date(0).toISOString(), problems: [`The catalog could not be loaded: ${(error as Error).message}`] };
  }
}

/** Cached per request: generateMetadata and the page read the catalog once between them. */
export const getCatalogFor = cache(async (caller: Caller): Promise<Catalog> => visibleTo(await getCatalog(), caller));

export async function getProductFor(slug: string, caller: Caller): Promise<CatalogProduct | undefined> {
  return (await getCatalogFor(caller)).products.find((p) => p.slug === slug);
}

/** What subscribing to a product needs; hidden products are not found, as on their pages. */
export async function getSubscribeTarget(slug: string, caller: Caller): Promise<SubscribeTarget> {
  const product = await getProductFor(slug, caller);
  if (!product) throw new AppError("not_found", "There is no such product.");
  return { planId: product.plan.id, productSlug: product.slug, productName: product.name, approvalRequired: product.approvalRequired, apiStages: product.plan.apiStages };
}

/**
 * The product AWS Marketplace sells under `productCode` (the plan whose productCode matches),
 * regardless of visibility: the buyer paid for it. A map lookup on the cached catalog.
 */
export async function getMarketplaceProduct(productCode: string): Promise<MarketplaceProduct | undefined> {
  const catalog = await getCatalog();
  let byCode = productsByCode.get(catalog);
  if (!byCode) productsByCode.set(catalog, (byCode = new Map(catalog.products.filter((p) => p.plan.productCode).map((p) => [p.plan.productCode!, p]))));
  const product = byCode.get(productCode);
  return product && { planId: product.plan.id, productSlug: product.slug, productName: product.name };
}
/** Built once per catalog version (the cached catalog object), so a lookup is a map read. */
const productsByCode = new WeakMap<Catalog, Map<string, CatalogProduct>>();

export async function getApiFor(slug: string, caller: Caller): Promise<{ api: CatalogApi; products: CatalogProduct[] } | undefined> {
  const catalog = await getCatalogFor(caller);
  const api = catalog.apis.find((a) => a.slug === slug);
  return api && { api, products: catalog.products.filter((p) => p.apiSlugs.includes(slug)) };
}

/** Re-reads plans and specs from API Gateway on the next view (admin "refresh now"). */
export function refreshCatalog(): void {
  revalidateTag(TAGS.catalog, { expire: 0 });
}

const documents = new Map<string, Promise<ApiDocument>>();

/** The parsed reference for an API, once per spec version per server. */
export function getApiDocument(api: CatalogApi): Promise<ApiDocument> {
  // catalog/ files don't change while the server runs: key them by path and skip reading them
  // (1.9 MB for Twilio) on every view; exported specs change with a refresh, so key those by content.
  const key = api.spec.source === "file" ? `${api.slug}:file:${api.spec.file}` : `${api.slug}:export:${createHash("sha1").update(api.spec.text).digest("hex")}`;
  let document = documents.get(key);
  if (!document) {
    const text = specText(api);
    document = loadApiDocument({ file: api.spec.file, text });
    document.catch(() => documents.delete(key));
    documents.set(key, document);
  }
  return document;
}

/** GetSdk, cached for a day per API stage and type: the control-plane budget matters. */
let cachedSdk: ((apiId: string, stage: string, type: SdkType) => Promise<string>) | undefined;

export async function getSdkZip(api: CatalogApi, type: SdkType): Promise<Buffer> {
  cachedSdk ??= unstable_cache(
    async (apiId: string, stage: string, sdkType: SdkType) => Buffer.from(await generateSdk(apiId, stage, sdkType)).toString("base64"),
    ["portico-sdk-v1", ...accountKey()],
    { tags: [TAGS.catalog], revalidate: 24 * 60 * 60 },
  );
  return Buffer.from(await cachedSdk(api.apiId, api.stage, type), "base64");
}
