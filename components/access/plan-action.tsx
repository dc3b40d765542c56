import type { PlanOffer, SubscriptionView } from "@/lib/access/types";
import { StateBadge } from "./state-badge";
import { SubscribeButton } from "./subscribe-button";

const HELD: Record<string, { label: string; className: string }> = {
  active: { label: "Subscribed", className: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  marketplace: { label: "Bought on AWS Marketplace", className: "bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  pending: { label: "Waiting for approval", className: "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  awaiting: { label: "Waiting for AWS Marketplace", className: "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
};

/**
 * A plan card's action, as lib/access offers it: the button to subscribe, request access or
 * switch; the plan's state once held (text, where the button was, so a second click lands on
 * nothing); or why it can't be taken now.
 */
export function PlanAction({ product, offer, subscription }: { product: { slug: string; name: string }; offer: PlanOffer; subscription?: SubscriptionView }) {
  if (offer.kind === "held") {
    const held = HELD[offer.state === "active" && offer.source === "marketplace" ? "marketplace" : offer.state];
    if (!held) return <StateBadge state={offer.state} />;
    return (
      <p className={`inline-flex items-center gap-2 self-start rounded-md px-4 py-2 text-sm font-semibold ${held.className}`}>
        {offer.state === "active" && <span aria-hidden="true">✓</span>}
        <span>{held.label}</span>
      </p>
    );
  }
  if (offer.kind === "blocked") return <p className="text-sm text-zinc-700 dark:text-zinc-300">{offer.reason}</p>;
  // Asking again is offered next to the declined request, under Subscriptions: one button per action on the page.
  if (subscription?.state === "rejected") {
    return (
      <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
        <StateBadge state="rejected" /> You can ask again under Subscriptions.
      </p>
    );
  }
  return <SubscribeButton product={product} offer={offer} />;
}
