"use client";

import type { SubscriptionView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { PRIMARY_BUTTON } from "./styles";
import { useApiCall } from "./use-api-call";

export interface SubscribeTarget {
  slug: string;
  name: string;
  approvalRequired: boolean;
}

/**
 * Subscribe, request access (plans the API team approves) or switch (when a plan the user holds
 * covers the same API stage: the server moves their keys). `replaces` names that other plan; the
 * page works it out from the catalog, and the server's 409 message covers anything it missed.
 */
export function SubscribeButton({ product, replaces }: { product: SubscribeTarget; replaces?: string }) {
  const { call, pending, error } = useApiCall();

  const switching = replaces !== undefined;
  const label = switching ? `Switch to ${product.name}` : product.approvalRequired ? `Request access to ${product.name}` : `Subscribe to ${product.name}`;
  const progress = switching ? "Switching…" : product.approvalRequired ? "Sending request…" : "Subscribing…";

  async function subscribe() {
    await call<{ subscription: SubscriptionView }>("/api/subscriptions", { method: "POST", body: { product: product.slug, ...(switching ? { switch: true } : {}) } });
  }

  return (
    <div className="flex flex-col items-start gap-2">
      <button type="button" onClick={subscribe} disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? progress : label}
      </button>
      {switching && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {product.approvalRequired
            ? `Once the API team approves, this replaces your ${replaces} subscription and your keys move to ${product.name}.`
            : `Replaces your ${replaces} subscription: your keys move to ${product.name} right away.`}
        </p>
      )}
      {!switching && product.approvalRequired && <p className="text-sm text-zinc-600 dark:text-zinc-400">The API team reviews requests for this plan.</p>}
      <ErrorAlert error={error} />
    </div>
  );
}
