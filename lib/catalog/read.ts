import { cache } from "react";
import { sharedCache, TAGS } from "../cache/shared";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { readMembershipRows } from "../db/memberships";
import { buildCatalog, usesTeamVisibility, visibleTo } from "./catalog";
import { applyOverrides, NO_OVERRIDES, type CatalogOverrides } from "./overrides";
import { readCatalogOverrides } from "./overrides-store";
import { getPortalSettings } from "./settings";
import type { Catalog, CatalogApi, CatalogProduct, MarketplaceProduct, SubscribeTarget, Viewer } from "./types";

/**
 * Cached for `refreshMinutes` (catalog/portal.yaml) and shared by every request and server: a
 * warm page view makes zero control-plane calls. If a refresh fails, the last good catalog keeps
 * serving. Admin → Catalog's "Refresh now" expires it (admin.ts).
 */
const catalogCache = sharedCache({
  name: "Catalog",
  tags: [TAGS.catalog],
  revalidate: () => getPortalSettings().refreshMinutes * 60,
  load: () => buildCatalog(),
  keepLastGood: true,
});

export async function getCatalog(): Promise<Catalog> {
  try {
    return await catalogCache.get();
  } catch (error) {
    const lastGood = catalogCache.lastGood();
    console.error("[catalog] refresh failed:", (error as Error).message);
    if (lastGood) return { ...lastGood, problems: [...lastGood.problems, `Last refresh failed: ${(error as Error).message}`] };
    return { products: [], apis: [], guides: [], refreshedAt: new Date(0).toISOString(), problems: [`The catalog could not be loaded: ${(error as Error).message}`] };
  }
}

/** The catalog this process last read, without reading it (no control-plane call). */
export function lastReadCatalog(): Catalog | undefined {
  return catalogCache.lastGood();
}

/**
 * The admins' overrides (Admin → Catalog: hidden products, SDK switches), read from their
 * DynamoDB row and cached like the catalog but apart from it, so a change never re-reads API
 * Gateway. A change expires the tag (admin.ts): this process reads its own write at once, and
 * every other server when the tag lands. A warm view reads neither DynamoDB nor API Gateway.
 */
const overridesCache = sharedCache({
  name: "CatalogOverrides",
  tags: [TAGS.catalogOverrides],
  revalidate: () => 60,
  key: () => [getConfig().PORTICO_TABLE],
  load: () => readCatalogOverrides(),
  keepLastGood: true,
  readOwnWrites: true,
});

export async function getCatalogOverrides(): Promise<CatalogOverrides> {
  try {
    return await overridesCache.get();
  } catch (error) {
    console.error("[catalog] reading the catalog settings failed:", (error as Error).message);
    // Serve the last known switches; without any, fail rather than show what an admin hid.
    const lastGood = overridesCache.lastGood();
    if (lastGood) return lastGood;
    throw new AppError("unavailable", "The catalog is unavailable right now. Try again in a moment.", { cause: error });
  }
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

/** What this viewer may see and find listed; hidden products are gone for everyone. Cached per request. */
export const getCatalogFor = cache(async (viewer: Viewer): Promise<Catalog> => {
  const catalog = await getComposedCatalog();
  return visibleTo(catalog, await withTeams(catalog, viewer));
});

/** The viewer with their teams' slugs, read (one Query) only when something is shown to named teams. */
async function withTeams(catalog: Catalog, viewer: Viewer): Promise<Viewer> {
  if (viewer.teams || !viewer.user?.id || !usesTeamVisibility(catalog)) return viewer;
  const memberships = await readMembershipRows<{ teamSlug: string }>(viewer.user.id);
  return { ...viewer, teams: memberships.map((m) => m.teamSlug) };
}

/**
 * The same, except that admins also get hidden products (marked `hidden`): for opening a hidden
 * product's page and its APIs' docs, never for listing. Everyone else gets getCatalogFor.
 */
export const getCatalogWithHiddenFor = cache(async (viewer: Viewer): Promise<Catalog> =>
  viewer.isAdmin ? visibleTo(await getComposedCatalog(), viewer, { includeHidden: true }) : getCatalogFor(viewer),
);

async function getProductFor(slug: string, viewer: Viewer): Promise<CatalogProduct | undefined> {
  return (await getCatalogFor(viewer)).products.find((p) => p.slug === slug);
}

/** What subscribing to a product needs; hidden products are not found, as on their pages, nor products for teams the viewer doesn't name. */
export async function getSubscribeTarget(slug: string, viewer: Viewer): Promise<SubscribeTarget> {
  // A product shown to team:<slug> is that team's to subscribe (lib/teams Space.viewer names it):
  // a member seeing it doesn't make it theirs, so unless the viewer names teams, none count.
  const product = await getProductFor(slug, { ...viewer, teams: viewer.teams ?? [] });
  if (!product) {
    const hidden = viewer.isAdmin && (await getCatalogWithHiddenFor(viewer)).products.some((p) => p.slug === slug && p.hidden);
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
 * regardless of visibility: the buyer paid for it. Should two products share the plan, the last wins.
 */
export async function getMarketplaceProduct(productCode: string): Promise<MarketplaceProduct | undefined> {
  const product = (await getCatalog()).products.findLast((p) => p.plan.productCode === productCode);
  return product && { planId: product.plan.id, productSlug: product.slug, productName: product.name };
}

/** An API this viewer may open (admins: also one only a hidden product includes), and the products that include it. */
export async function getApiFor(slug: string, viewer: Viewer): Promise<{ api: CatalogApi; products: CatalogProduct[] } | undefined> {
  const catalog = await getCatalogWithHiddenFor(viewer);
  const api = catalog.apis.find((a) => a.slug === slug);
  return api && { api, products: catalog.products.filter((p) => p.apiSlugs.includes(slug)) };
}
