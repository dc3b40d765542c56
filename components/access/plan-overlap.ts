import type { SubscriptionView } from "@/lib/access/types";
import type { CatalogProduct } from "@/lib/catalog";

const stageKeys = (product: CatalogProduct) => new Set(product.plan.apiStages.map((s) => `${s.apiId}/${s.stage}`));

/** The catalog product behind a subscription (by plan first: slugs can be renamed in catalog/). */
export function productOf(subscription: SubscriptionView, products: CatalogProduct[]): CatalogProduct | undefined {
  return products.find((p) => p.plan.id === subscription.planId) ?? products.find((p) => p.slug === subscription.productSlug);
}

/**
 * API Gateway lets a key into only one plan per API stage, so subscribing to `product` replaces
 * the active subscription whose plan shares a stage with it. Returns that subscription, if any.
 */
export function subscriptionReplacedBy(product: CatalogProduct, subscriptions: SubscriptionView[], products: CatalogProduct[]): SubscriptionView | undefined {
  const stages = stageKeys(product);
  return subscriptions.find((subscription) => {
    if (subscription.state !== "active" || subscription.planId === product.plan.id) return false;
    const held = productOf(subscription, products);
    return !!held && [...stageKeys(held)].some((key) => stages.has(key));
  });
}

/** The user's subscription to `product`, whatever its state. */
export function subscriptionTo(product: CatalogProduct, subscriptions: SubscriptionView[]): SubscriptionView | undefined {
  return subscriptions.find((s) => s.planId === product.plan.id) ?? subscriptions.find((s) => s.productSlug === product.slug);
}
