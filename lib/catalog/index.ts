import { revalidateTag, unstable_cache } from "next/cache";
import { cache } from "react";
import { exportStage, generateSdk, type SdkType } from "../apigateway";
import type { Caller } from "../auth/caller";
import type { SubscribeTarget } from "../access/subscriptions";
import type { MarketplaceProduct } from "../marketplace/lifecycle";
import { currentActor, recordAudit } from "../audit";
import { getConfig } from "../config";
import { tableName } from "../db/table";
import { AppError } from "../errors";
import { TAGS } from "../constants";
import { loadApiDocument, type ApiDocument } from "../openapi";
import { buildCatalog, localSpecText, visibleTo, type Catalog, type CatalogApi, type CatalogProduct } from "./catalog";
import { adminCatalogView, applyChange, applyOverrides, NO_OVERRIDES, type AdminCatalogView, type CatalogChange, type CatalogOverrides } from "./overrides";
import { CONFLICT_MESSAGE, readCatalogOverrides, writeCatalogOverrides } from "./overrides-store";
import { getPortalSettings } from "./settings";

export { canSee, slugify, type Catalog, type CatalogApi, type CatalogProduct } from "./catalog";
export { catalogChangeSchema, type AdminApiRow, type AdminCatalogView, type AdminProductRow, type CatalogChange } from "./overrides";
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
const processWide = globalThis as typeof globalThis & { __porticoCatalog?: CatalogCache; __porticoCatalogOverrides?: OverridesCache };

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

/**
 * The admins' overrides (Admin → Catalog: hidden products, SDK switches), read from their
 * DynamoDB row and cached like the catalog but apart from it, so a change never re-reads API
 * Gateway. Tagged, so a change reaches every server at once; `generation` makes this process
 * read its own write even before the tag lands, and keeps a read that raced the write from being
 * served here. A warm view reads neither DynamoDB nor API Gateway.
 */
export const CATALOG_OVERRIDES_TAG = "catalog-overrides";

interface OverridesCache {
  read: (generation: number) => Promise<CatalogOverrides>;
  generation: number;
  inflight?: { generation: number; promise: Promise<CatalogOverrides> };
  lastGood?: CatalogOverrides;
}

function overridesCache(): OverridesCache {
  return (processWide.__porticoCatalogOverrides ??= {
    // The generation is only part of the cache key.
    read: unstable_cache((_generation: number) => readCatalogOverrides(), ["portico-catalog-overrides-v1", ...accountKey(), tableName()], {
      tags: [CATALOG_OVERRIDES_TAG],
      revalidate: 60,
    }),
    generation: 0,
  });
}

export async function getCatalogOverrides(): Promise<CatalogOverrides> {
  const cached = overridesCache();
  const generation = cached.generation;
  if (cached.inflight?.generation !== generation) {
    const promise: Promise<CatalogOverrides> = cached.read(generation).finally(() => {
      if (cached.inflight?.promise === promise) cached.inflight = undefined;
    });
    cached.inflight = { generation, promise };
  }
  try {
    const overrides = await cached.inflight.promise;
    if (generation === cached.generation) cached.lastGood = overrides;
    return overrides;
  } catch (error) {
    console.error("[catalog] reading the catalog settings failed:", (error as Error).message);
    // Serve the last known switches; without any, fail rather than show what an admin hid.
    if (cached.lastGood) return cached.lastGood;
    throw new AppError("unavailable", "The catalog is unavailable right now. Try again in a moment.", { cause: error });
  }
}

/** After a change: this process reads the row again at once, every other one when the tag lands. */
function invalidateCatalogOverrides(): void {
  const cached = overridesCache();
  cached.generation += 1;
  cached.inflight = undefined;
  revalidateTag(CATALOG_OVERRIDES_TAG, { expire: 0 });
}

/**
 * The catalog with the overrides applied (hidden products and SDK switches marked), once per
 * request. If the switches can't be read at all, every product is treated as hidden (fail
 * closed: the pages still render, saying so, but nothing an admin hid can show).
 */
const getComposedCatalog = cache(async (): Promise<Catalog> => {
  const [catalog, overrides] = await Promise.all([getCatalog(), getCatalogOverrides().catch(() => undefined)]);
  if (overrides) return applyOverrides(catalog, overrides);
  const closed = applyOverrides(catalog, { ...NO_OVERRIDES, hiddenPlans: catalog.products.map((p) => p.plan.id) });
  return { ...closed, problems: [...closed.problems, "The catalog settings could not be read: every product is hidden until they can be."] };
});

/** What this caller may see and find listed; hidden products are gone for everyone. Cached per request. */
export const getCatalogFor = cache(async (caller: Caller): Promise<Catalog> => visibleTo(await getComposedCatalog(), caller));

/**
 * The same, except that admins also get hidden products (marked `hidden`): for opening a hidden
 * product's page and its APIs' docs, never for listing. Everyone else gets getCatalogFor.
 */
export const getCatalogWithHiddenFor = cache(async (caller: Caller): Promise<Catalog> =>
  caller.isAdmin ? visibleTo(await getComposedCatalog(), caller, { includeHidden: true }) : getCatalogFor(caller),
);

export async function getProductFor(slug: string, caller: Caller): Promise<CatalogProduct | undefined> {
  return (await getCatalogFor(caller)).products.find((p) => p.slug === slug);
}

/** What subscribing to a product needs; hidden products are not found, as on their pages. */
export async function getSubscribeTarget(slug: string, caller: Caller): Promise<SubscribeTarget> {
  const product = await getProductFor(slug, caller);
  if (!product) {
    const hidden = caller.isAdmin && (await getCatalogWithHiddenFor(caller)).products.some((p) => p.slug === slug && p.hidden);
    throw new AppError("not_found", hidden ? "This plan is hidden. Publish it in Admin → Catalog before anyone can subscribe." : "There is no such product.");
  }
  return subscribeTargetOf(product);
}

/** What lib/access needs to know of a product to subscribe to it, or to say what subscribing would do. */
export function subscribeTargetOf(product: CatalogProduct): SubscribeTarget {
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

/** An API this caller may open (admins: also one only a hidden product includes), and the products that include it. */
export async function getApiFor(slug: string, caller: Caller): Promise<{ api: CatalogApi; products: CatalogProduct[] } | undefined> {
  const catalog = await getCatalogWithHiddenFor(caller);
  const api = catalog.apis.find((a) => a.slug === slug);
  return api && { api, products: catalog.products.filter((p) => p.apiSlugs.includes(slug)) };
}

/** Re-reads plans, stages and exported specs (and SDKs) from API Gateway on the next view. */
export function refreshCatalog(): void {
  const cached = catalogCache();
  // A read already under way started before this: the next view must not join it. The last good
  // catalog stays as the fallback should the refresh fail.
  cached.inflight = undefined;
  revalidateTag(TAGS.catalog, { expire: 0 });
}

/** Admin → Catalog: every product and API stage with its switches, read fresh from the row. */
export async function getAdminCatalogView(): Promise<AdminCatalogView> {
  const [catalog, overrides] = await Promise.all([getCatalog(), readCatalogOverrides({ consistent: true })]);
  return adminCatalogView(catalog, overrides, getPortalSettings().discovery);
}

/**
 * Publishes or hides a product, or turns an API stage's SDK downloads on or off: a conditional
 * write of the overrides row (409 if another admin's change came first, or if `version` is not
 * the one the admin saw), visible to visitors on their next view, and recorded in the audit log.
 */
export async function changeCatalog(change: CatalogChange): Promise<AdminCatalogView> {
  const [catalog, current] = await Promise.all([getCatalog(), readCatalogOverrides({ consistent: true })]);
  if (change.version !== undefined && change.version !== current.version) throw new AppError("conflict", CONFLICT_MESSAGE);
  const { next, changed, audit } = applyChange(current, catalog, change);
  let overrides = current;
  if (changed) {
    const actor = currentActor();
    overrides = await writeCatalogOverrides(next, current.version, { by: actor.email ?? actor.id });
    invalidateCatalogOverrides();
    await recordAudit(audit);
  }
  return adminCatalogView(catalog, overrides, getPortalSettings().discovery);
}

/** Admin "Refresh from API Gateway now": the next view re-reads API Gateway and the overrides row. */
export async function refreshCatalogNow(): Promise<{ requestedAt: string }> {
  const before = catalogCache().lastGood;
  const requestedAt = new Date().toISOString();
  refreshCatalog();
  invalidateCatalogOverrides();
  await recordAudit({
    type: "catalog.refreshed",
    target: "catalog",
    before: before ? { refreshedAt: before.refreshedAt, products: before.products.length, apis: before.apis.length } : null,
    after: { requestedAt },
  });
  return { requestedAt };
}

const documents = new Map<string, Promise<ApiDocument>>();

/** The parsed reference for an API, once per spec version per server. */
export function getApiDocument(api: CatalogApi): Promise<ApiDocument> {
  // catalog/ files don't change while the server runs: key them by path; exports by content hash.
  const key = api.spec.source === "file" ? `${api.slug}:file:${api.spec.file}` : `${api.slug}:export:${api.spec.sha}`;
  let document = documents.get(key);
  if (!document) {
    document = getSpecText(api).then((text) => loadApiDocument({ file: api.spec.file, text }));
    document.catch(() => documents.delete(key));
    documents.set(key, document);
  }
  return document;
}

let cachedExport: ((apiId: string, stage: string, sha: string) => Promise<string>) | undefined;

/**
 * An API's spec text: from catalog/, from this process's own export, or — on a server that didn't
 * build the catalog — from the shared cache, exported once for all of them (keyed by its hash).
 */
export async function getSpecText(api: CatalogApi): Promise<string> {
  const local = localSpecText(api);
  if (local !== undefined) return local;
  const { sha } = api.spec as { sha: string }; // catalog/ files are always local: only an export can be missing
  cachedExport ??= unstable_cache(async (apiId: string, stage: string, _sha: string) => (await exportStage(apiId, stage)).text, ["portico-spec-v1", ...accountKey()], {
    tags: [TAGS.catalog],
    revalidate: getPortalSettings().refreshMinutes * 60,
  });
  return cachedExport(api.apiId, api.stage, sha);
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
