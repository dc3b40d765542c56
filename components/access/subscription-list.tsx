"use client";

import Link from "next/link";
import { formatQuota, formatRate } from "@/components/catalog/plan-terms";
import type { PlanTerms } from "@/lib/apigateway/types";
import type { SubscriptionView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { MarketplaceBadge, PENDING_NOTE, StateBadge } from "./state-badge";
import { SubscribeButton, type SubscribeOffer } from "./subscribe-button";
import { CARD, DANGER_BUTTON } from "./styles";
import { date } from "./time";
import { PROPAGATION } from "./propagation";
import { useSpaceAllows, useSpaceUrl } from "./space";
import { useApiCall } from "./use-api-call";

export interface SubscriptionItem {
  subscription: SubscriptionView;
  /** The plan's live terms, when the product is still in the catalog the user sees. */
  plan?: Pick<PlanTerms, "throttle" | "quota">;
  /** For a declined request whose product is still offered: asking again, as lib/access offers it (a switch names what it ends). */
  retry?: { product: { slug: string; name: string }; offer: SubscribeOffer };
}

/** The user's subscriptions: active, waiting for approval, declined, or bought on AWS Marketplace. */
export function SubscriptionList({ items }: { items: SubscriptionItem[] }) {
  return (
    <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
      {items.map((item) => (
        <SubscriptionRow key={item.subscription.planId} {...item} />
      ))}
    </ul>
  );
}

function SubscriptionRow({ subscription, plan, retry }: SubscriptionItem) {
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const manage = useSpaceAllows("manageAccess");
  const { productName: name, state } = subscription;
  const marketplace = subscription.source === "marketplace";

  async function leave() {
    const question = state === "pending" ? `Cancel your request for ${name}?` : `Unsubscribe from ${name}? ${PROPAGATION.unsubscribe}`;
    if (!window.confirm(question)) return;
    await call(spaceUrl(`/api/subscriptions/${encodeURIComponent(subscription.planId)}`), { method: "DELETE" });
  }

  const since = marketplace
    ? `Activated ${date.format(new Date(subscription.createdAt))}`
    : state === "active"
      ? `Subscribed ${date.format(new Date(subscription.decidedAt ?? subscription.createdAt))}`
      : state === "pending"
        ? `Requested ${date.format(new Date(subscription.createdAt))}`
        : `Declined${subscription.decidedAt ? ` ${date.format(new Date(subscription.decidedAt))}` : ""}`;

  return (
    <li className="flex flex-col gap-2 px-4 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="flex flex-wrap items-center gap-2 font-semibold">
            <Link href={`/products/${subscription.productSlug}`} className="focus-ring rounded hover:underline">
              {name}
            </Link>
            <StateBadge state={state} />
            {marketplace && <MarketplaceBadge />}
          </h3>
          {state === "pending" && <p className="text-sm font-medium text-amber-800 dark:text-amber-300">{PENDING_NOTE}.</p>}
          {marketplace && state === "awaiting" && (
            <p className="text-sm font-medium text-amber-800 dark:text-amber-300">
              Its key starts working as soon as AWS Marketplace confirms the subscription.
            </p>
          )}
          {marketplace && state === "ended" && (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">The subscription ended in AWS Marketplace, and its key no longer works.</p>
          )}
          {subscription.notice && (
            <p role="status" className="text-sm font-medium text-amber-800 dark:text-amber-300">
              {subscription.notice}
            </p>
          )}
          {state === "rejected" && (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">The API team didn&apos;t approve this request. You can ask again.</p>
          )}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {plan && (
              <>
                {formatRate(plan.throttle)} · {formatQuota(plan.quota)} ·{" "}
              </>
            )}
            {since}
          </p>
        </div>
        {manage && state === "rejected" && retry && <SubscribeButton product={retry.product} offer={retry.offer} />}
        {marketplace && (
          <p className="max-w-xs text-sm text-zinc-600 sm:text-right dark:text-zinc-400">
            {state === "ended" || state === "failed" ? "Managed in AWS Marketplace." : "Managed in AWS Marketplace — cancel it there."}
          </p>
        )}
        {manage && !marketplace && state !== "rejected" && (
          <button
            type="button"
            onClick={leave}
            disabled={pending}
            aria-label={state === "pending" ? `Cancel request for ${name}` : `Unsubscribe from ${name}`}
            className={DANGER_BUTTON}
          >
            {state === "pending" ? (pending ? "Cancelling…" : "Cancel request") : pending ? "Unsubscribing…" : "Unsubscribe"}
          </button>
        )}
      </div>
      <ErrorAlert error={error} />
    </li>
  );
}
