import type { AccessSummary } from "../access/account";
import type { KeyAllowance, KeyView, PlanOffer, SubscriptionView } from "../access/types";
import type { PlanTerms } from "../apigateway";
import type { Catalog, CatalogApi, CatalogProduct } from "../catalog/types";
import { productOf, subscriptionTo } from "./products";
import type { SampleCall } from "./sample-call";

/**
 * What the dashboard's one "Next step" line asks of the user while keys or subscriptions are
 * missing (none once they have both).
 */
export type NextStep =
  /** An AWS Marketplace purchase waits for AWS's confirmation and nothing else is active. */
  | "await-marketplace"
  /** Subscribed, but no key to call with. */
  | "create-key"
  /** A request waits for approval and there is no key yet: one can be made meanwhile. */
  | "create-key-while-pending"
  | "subscribe-then-create-key"
  /** Keys, and a request waiting for approval. */
  | "await-approval"
  /** Keys, but no active plan for them to work with. */
  | "subscribe";

/** A row under Subscriptions. */
export interface SubscriptionItem {
  subscription: SubscriptionView;
  /** The plan's live terms, when the product is still in the catalog the user sees. */
  plan?: Pick<PlanTerms, "throttle" | "quota">;
  /** A declined request whose product is still offered: asking again, as lib/access offers it. */
  retry?: { product: { slug: string; name: string }; offer: Extract<PlanOffer, { kind: "subscribe" | "switch" }> };
}

/** A card under Available plans: the product, the APIs it opens and what subscribing would do. */
export interface PlanCard {
  product: CatalogProduct;
  apis: CatalogApi[];
  offer?: PlanOffer;
  /** The user's subscription to it, whatever its state. */
  subscription?: SubscriptionView;
}

/** An active subscription's usage panel. */
export interface UsageItem {
  planId: string;
  productName: string;
  /** A first call to the product's first API, for the "make a call" hint. */
  sample?: SampleCall;
}

export interface Dashboard {
  /** "pending": the account waits for an administrator; nothing can be created or subscribed yet. */
  standing: AccessSummary["standing"];
  nextStep?: NextStep;
  keys: KeyView[];
  allowance: KeyAllowance;
  /** Plan id → product name: AWS Marketplace keys are badged with the product they were bought for (hidden products included). */
  planNames: Record<string, string>;
  /** Plans whose AWS Marketplace subscription ended or failed: they can be taken again from the portal, and their keys revoked. */
  closedPlans: string[];
  hasMarketplaceKey: boolean;
  /** Active first, then waiting, then closed ones. */
  subscriptions: SubscriptionItem[];
  /** Every plan the user may see, in catalog order whatever its state: nothing moves under the pointer after a click. */
  plans: PlanCard[];
  usage: UsageItem[];
}

const STATE_ORDER: Record<SubscriptionView["state"], number> = { active: 0, awaiting: 1, pending: 2, failed: 3, rejected: 4, ended: 5 };

/**
 * The dashboard from the catalog the user sees and their access summary; offers come from
 * lib/access, the same answer subscribing enforces. `sampleFor` writes a first call to an API.
 */
export async function dashboardOf(
  catalog: Catalog,
  access: AccessSummary,
  sampleFor: (api: CatalogApi) => Promise<SampleCall | undefined>,
): Promise<Dashboard> {
  const { keys, subscriptions, allowance, standing, offers } = access;
  const apiBySlug = new Map(catalog.apis.map((api) => [api.slug, api]));
  const apisOf = (product: CatalogProduct) =>
    product.apiSlugs.flatMap((slug) => {
      const api = apiBySlug.get(slug);
      return api ? [api] : [];
    });
  const sorted = [...subscriptions].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state]);

  function subscriptionItem(subscription: SubscriptionView): SubscriptionItem {
    const product = productOf(subscription, catalog.products);
    if (!product) return { subscription };
    const offer = offers[product.plan.id];
    return {
      subscription,
      plan: { throttle: product.plan.throttle, quota: product.plan.quota },
      ...(subscription.state === "rejected" && (offer?.kind === "subscribe" || offer?.kind === "switch")
        ? { retry: { product: { slug: product.slug, name: product.name }, offer } }
        : {}),
    };
  }

  async function usageItem(subscription: SubscriptionView): Promise<UsageItem> {
    const product = productOf(subscription, catalog.products);
    const api = product && apisOf(product)[0];
    return { planId: subscription.planId, productName: subscription.productName, sample: api && (await sampleFor(api)) };
  }

  return {
    standing,
    nextStep: nextStepOf(keys, subscriptions),
    keys,
    allowance,
    planNames: Object.fromEntries([
      ...catalog.products.map((p) => [p.plan.id, p.name] as const),
      ...subscriptions.map((s) => [s.planId, s.productName] as const),
    ]),
    closedPlans: subscriptions.filter((s) => s.source === "marketplace" && (s.state === "ended" || s.state === "failed")).map((s) => s.planId),
    hasMarketplaceKey: keys.some((k) => k.boundPlanId),
    subscriptions: sorted.map(subscriptionItem),
    plans: catalog.products.map((product) => ({
      product,
      apis: apisOf(product),
      offer: offers[product.plan.id],
      subscription: subscriptionTo(product, subscriptions),
    })),
    usage: await Promise.all(sorted.filter((s) => s.state === "active").map(usageItem)),
  };
}

function nextStepOf(keys: KeyView[], subscriptions: SubscriptionView[]): NextStep | undefined {
  const hasActive = subscriptions.some((s) => s.state === "active");
  const hasPending = subscriptions.some((s) => s.state === "pending");
  const hasAwaiting = subscriptions.some((s) => s.state === "awaiting");
  if (hasAwaiting && !hasActive) return "await-marketplace";
  if (keys.length === 0 && hasActive) return "create-key";
  if (keys.length === 0 && hasPending) return "create-key-while-pending";
  if (keys.length === 0) return "subscribe-then-create-key";
  if (hasPending && !hasActive) return "await-approval";
  if (!hasActive) return "subscribe";
  return undefined;
}
