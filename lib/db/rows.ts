/**
 * The rows of a user's API access, as stored in their partition (keys.ts): what lib/access
 * writes and reads, and the admin directory summarizes.
 */

/** `retiring`: rotated, working until `retiresAt`, then disabled and deleted by the key sweeper. */
export type KeyState = "active" | "retiring";

/**
 * `pending`/`rejected`: an approval-required product. Marketplace subscriptions also go through
 * `awaiting` (registered, AWS Marketplace hasn't confirmed yet), `failed` and `ended`.
 */
export type SubscriptionState = "active" | "pending" | "rejected" | "awaiting" | "failed" | "ended";

export interface KeyRow {
  pk: string;
  sk: string;
  userId: string;
  keyId: string;
  name: string;
  hint: string;
  state: KeyState;
  createdAt: string;
  retiresAt?: string;
  /** When it was rotated (or queued to retire): a notice before it stops is only worth sending when that was over a day before. */
  retiringSince?: string;
  replacedBy?: string;
  /** Marketplace keys live in their subscription's plan only and carry the buyer's customer id. */
  boundPlanId?: string;
  customerId?: string;
  /**
   * An active key's expiry (ISO), chosen by its owner: it waits in the retiring queue by this time,
   * and the sweeper retires it then (lib/access/expiry.ts). `expirySetAt`: when it was chosen.
   */
  expiresAt?: string;
  expirySetAt?: string;
  /** The last UTC day with requests, as the stored usage knows it: only ever moves forward (usage.ts). */
  lastUsedDay?: string;
  /** The idle stretch (its first day) a `key.unused` notice was queued for (lib/access/unused.ts). */
  unusedToldSince?: string;
  GSI1PK?: string;
  GSI1SK?: string;
}

export interface SubscriptionRow {
  pk: string;
  sk: string;
  userId: string;
  planId: string;
  productSlug: string;
  productName: string;
  state: SubscriptionState;
  createdAt: string;
  decidedAt?: string;
  /** The plan's API stages (`apiId/stage`) when subscribed: what a later plan may conflict with. */
  apiStages?: string[];
  /** Plans this subscription replaces (a switch): pending until approved, or not yet deleted after a crash. */
  replaces?: string[];
  email?: string;
  /** The team's slug, when a team subscribed (lib/teams): the admins' queue names it. */
  team?: string;
  source?: "marketplace";
  /** The identities of the AWS Marketplace buyer it was bought by (see customers.ts). */
  customerKeys?: string[];
  notice?: string;
  GSI1PK?: string;
  GSI1SK?: string;
}

export interface UsageRow {
  pk: string;
  sk: string;
  planId: string;
  keyId: string;
  /** The key's name and hint when last stored: the history outlives the key (and its KEY# row). */
  keyName?: string;
  keyHint?: string;
  /** Finished days (YYYY-MM-DD → requests): never change, never refetched. */
  final: Record<string, number>;
  /** Days not yet finished, as of `fetchedAt`. */
  recent: Record<string, number>;
  /** Requests left in the quota period at `fetchedAt`, and the plan's quota then. */
  remaining?: number;
  quotaLimit?: number;
  /** Epoch ms of the last GetUsage. */
  fetchedAt: number;
  /** The key's last day with requests, as already noted on its KEY# row (so it is written once a day at most). */
  lastUsedDay?: string;
}
