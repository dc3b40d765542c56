import { currentActor, recordAudit } from "../audit";
import { expireTag, TAGS } from "../cache/shared";
import { invalidateDocs, type InvalidationResult } from "../cloudfront";
import { AppError } from "../errors";
import { adminCatalogView, applyChange, type AdminCatalogView, type CatalogChange } from "./overrides";
import { CONFLICT_MESSAGE, readCatalogOverrides, writeCatalogOverrides } from "./overrides-store";
import { getCatalog, lastReadCatalog } from "./read";
import { getPortalSettings } from "./settings";
import { forgetFailedApiDocuments } from "./specs";

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
    expireTag(TAGS.catalogOverrides);
    await recordAudit(audit);
    // Publishing or hiding changes which docs pages anonymous readers get: drop the CDN's copies.
    await invalidateDocs();
  }
  return adminCatalogView(catalog, overrides, getPortalSettings().discovery);
}

/**
 * Admin "Refresh from API Gateway now": the next view re-reads plans, stages, exported specs and
 * SDKs from API Gateway, and the overrides row. The last good catalog stays as the fallback
 * should that refresh fail.
 */
export async function refreshCatalogNow(): Promise<{ requestedAt: string; cdn: InvalidationResult }> {
  const before = lastReadCatalog();
  // A spec that failed to load is tried again too (it may have been fixed in API Gateway).
  forgetFailedApiDocuments();
  const requestedAt = new Date().toISOString();
  expireTag(TAGS.catalog);
  expireTag(TAGS.catalogOverrides);
  await recordAudit({
    type: "catalog.refreshed",
    target: "catalog",
    before: before ? { refreshedAt: before.refreshedAt, products: before.products.length, apis: before.apis.length } : null,
    after: { requestedAt },
  });
  // The CDN's copies of the docs go too ("skipped" where there is no CloudFront, as locally).
  return { requestedAt, cdn: await invalidateDocs() };
}
