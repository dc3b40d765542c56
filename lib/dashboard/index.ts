import { getAccessSummary } from "../access/account";
import type { Viewer } from "../catalog/types";
import { getCatalogFor, subscribeTargetOf } from "../catalog/read";
import { getApiDocument } from "../catalog/specs";
import type { CatalogApi } from "../catalog/types";
import { sampleCall, type SampleCall } from "./sample-call";
import { dashboardOf, type Dashboard } from "./view";

export { subscriptionTo } from "./products";
export type { Dashboard, NextStep, PlanCard, SubscriptionItem, UsageItem } from "./view";

/** Everything /dashboard shows `caller`: their keys and subscriptions, and what they may subscribe to. */
/**
 * The dashboard of `ownerId`'s access (the caller's own, or a team's they belong to), with the
 * products `viewer` may subscribe to (lib/teams/space.ts Space.viewer).
 */
export async function getDashboard(viewer: Viewer, ownerId: string): Promise<Dashboard> {
  const catalog = await getCatalogFor(viewer);
  const access = await getAccessSummary(ownerId, catalog.products.map(subscribeTargetOf));
  return dashboardOf(catalog, access, sampleFor);
}

/** A first call to one of the API's operations (its stage's root only answers 403), or the bare URL if its reference can't be read. */
async function sampleFor(api: CatalogApi): Promise<SampleCall | undefined> {
  if (!api.invokeUrl) return undefined;
  const invokeUrl = api.invokeUrl;
  return getApiDocument(api)
    .then((document) => sampleCall(invokeUrl, document.operations.values()))
    .catch(() => ({ method: "GET", url: invokeUrl }));
}
