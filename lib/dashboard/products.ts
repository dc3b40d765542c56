import type { SubscriptionView } from "../access/types";
import type { CatalogProduct } from "../catalog/types";

/** The catalog product behind a subscription (by plan first: slugs can be renamed in catalog/). */
export function productOf(subscription: SubscriptionView, products: CatalogProduct[]): CatalogProduct | undefined {
  return products.find((p) => p.plan.id === subscription.planId) ?? products.find((p) => p.slug === subscription.productSlug);
}

/** The user's subscription to `product`, whatever its state. */
export function subscriptionTo(product: CatalogProduct, subscriptions: SubscriptionView[]): SubscriptionView | undefined {
  return subscriptions.find((s) => s.planId === product.plan.id) ?? subscriptions.find((s) => s.productSlug === product.slug);
}
