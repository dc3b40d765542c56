import type { KeyState, SubscriptionState } from "../db/rows";

/**
 * What the dashboard sees of a user's API access: keys, subscriptions and usage.
 * These are read-model views (DynamoDB rows), never SDK shapes; key values are never part of them.
 */

/** A key's and a subscription's states, as their rows hold them. */
export type { KeyState, SubscriptionState };

/** How long a rotated key keeps working. */
export const GRACE_PERIODS = { none: 0, "1h": 3_600, "24h": 86_400, "7d": 604_800 } as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;

export interface KeyView {
  /** The API Gateway key id (not secret). */
  id: string;
  name: string;
  /** Last four characters of the value, for the masked display `••••abcd`. */
  hint: string;
  state: KeyState;
  createdAt: string;
  /** When a retiring key stops working (ISO). */
  retiresAt?: string;
  /** The key that replaced this one. */
  replacedBy?: string;
  /** A key that belongs to one AWS Marketplace subscription (metered by its customer id). */
  boundPlanId?: string;
  /** When an active key expires (ISO): the key sweeper retires it then, as it retires a rotated key. */
  expiresAt?: string;
  /** The last UTC day (YYYY-MM-DD) it made requests, from the stored usage; absent: not used yet (as far as stored). */
  lastUsedDay?: string;
}

export interface SubscriptionView {
  planId: string;
  productSlug: string;
  productName: string;
  state: SubscriptionState;
  createdAt: string;
  /** When an admin approved or rejected it. */
  decidedAt?: string;
  /** Bought on AWS Marketplace: managed there, not from the portal. */
  source?: "marketplace";
  /** Something the user should know, e.g. "Cancellation pending in AWS Marketplace". */
  notice?: string;
}

/** One day of one key's requests in a plan. */
export interface UsageDay {
  day: string; // YYYY-MM-DD (UTC)
  used: number;
}

export interface KeyUsage {
  keyId: string;
  keyName: string;
  /** Last four characters of the value: tells apart a rotated key from the one that replaced it. */
  keyHint: string;
  /** `gone`: revoked, retired after rotation, or no longer in this plan; its history still counts. */
  status: KeyState | "gone";
  days: UsageDay[];
  /** Requests left in the current quota period, as API Gateway reports it (undefined: no quota). */
  remaining?: number;
}

export interface PlanUsage {
  planId: string;
  productSlug: string;
  productName: string;
  range: 7 | 30 | 90;
  /** One entry per key the user holds in the plan, each with every day of the range. */
  keys: KeyUsage[];
  throttle?: { rateLimit?: number; burstLimit?: number };
  quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH"; offset: number };
  /** Requests used in the current quota period, summed over the user's keys (max over keys for the warning). */
  periodUsed?: number;
  /** Highest share of the quota any one key has used this period (0..1); warn at ≥ 0.8. */
  periodShare?: number;
  /** When the current quota period ends and the quota resets (ISO). */
  quotaResetsAt?: string;
  /** When recent days were last read from API Gateway (ISO). */
  fetchedAt: string;
}

export const USAGE_RANGES = [7, 30, 90] as const;

/**
 * What subscribing to a product would do for this user right now. lib/access computes it (the one
 * source of truth); the dashboard shows it, and subscribing checks the user confirmed exactly it.
 *   held      the user already has (or asked for, or bought) this plan
 *   subscribe adds the plan and nothing else (`approval`: waits for the API team)
 *   switch    adds the plan and ends every plan in `ends` (they share an API stage with it)
 *   blocked   can't be done now, and `reason` says why
 */
export type PlanOffer =
  | { kind: "held"; state: SubscriptionState; source?: "marketplace" }
  | { kind: "subscribe"; approval: boolean }
  | { kind: "switch"; approval: boolean; ends: { planId: string; productName: string }[] }
  | { kind: "blocked"; reason: string };

/** Keys against the per-user limit, counted the way creating a key enforces it. */
export interface KeyAllowance {
  /** Active portal keys: what the limit counts. */
  used: number;
  max: number;
  /** Rotated keys still in their grace period: they work, but don't count. */
  retiring: number;
  /** Keys bought on AWS Marketplace: they belong to their subscription and don't count. */
  marketplace: number;
}
