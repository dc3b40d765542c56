import type { SubscriptionState } from "@/lib/access/types";

const STYLES: Record<SubscriptionState, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" },
  pending: { label: "Pending", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  rejected: { label: "Not approved", className: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" },
  awaiting: { label: "Awaiting AWS Marketplace", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  failed: { label: "Purchase failed", className: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" },
  ended: { label: "Ended", className: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200" },
};

/** A subscription's state as a small badge (server and client). */
export function StateBadge({ state }: { state: SubscriptionState }) {
  const style = STYLES[state];
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${style.className}`}>{style.label}</span>;
}

/** Bought on AWS Marketplace, not subscribed to here (server and client). */
export function MarketplaceBadge({ product }: { product?: string }) {
  return (
    <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900 dark:bg-sky-900/40 dark:text-sky-200">
      AWS Marketplace{product ? ` · ${product}` : ""}
    </span>
  );
}

export const PENDING_NOTE = "Waiting for approval by the API team";
