import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client";
import { deleteRows, queryAll } from "../db/query";
import { tableName } from "../db/table";
import { AppError } from "../errors";
import { PROFILE_SK, type Profile } from "../users/profile";
import type { KeyState, KeyView, SubscriptionState, SubscriptionView } from "./types";

// Generic DynamoDB helpers, re-exported for the access code and its tests.
export { deleteRows, queryAll };

/**
 * The read model of a user's API access, in the user's own partition (`pk = USER#<id>`) next to
 * the Auth.js rows, so one Query reads everything a dashboard needs and no Scan is ever needed:
 *
 *   KEY#<apiKeyId>                  a key: name, hint, state, rotation info
 *   SUB#<usagePlanId>               a subscription: active / pending / rejected
 *   USAGE#<usagePlanId>#<apiKeyId>  finished days' requests (kept) + recent days (short-lived)
 *   LOCK                            the per-user write lease (lock.ts)
 *
 * Two GSI1 queues serve the jobs and admins without scanning: retiring keys by expiry time and
 * pending subscriptions by request time.
 */

export const userPk = (userId: string) => `USER#${userId}`;
export const keySk = (keyId: string) => `KEY#${keyId}`;
export const subSk = (planId: string) => `SUB#${planId}`;
export const usageSk = (planId: string, keyId: string) => `USAGE#${planId}#${keyId}`;
export const LOCK_SK = "LOCK";

export const RETIRING_QUEUE = "PORTICO#RETIRING";
export const PENDING_QUEUE = "PORTICO#PENDING";

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
  replacedBy?: string;
  /** Marketplace keys live in their subscription's plan only and carry the buyer's customer id. */
  boundPlanId?: string;
  customerId?: string;
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
  source?: "marketplace";
  /** The identities of the AWS Marketplace buyer it was bought by (see lib/marketplace/customers.ts). */
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
}

export interface UserAccess {
  keys: KeyRow[];
  subscriptions: SubscriptionRow[];
  /** The admin directory's row (its PROFILE sort key falls in the same range). */
  profile?: Profile;
}

export const keyView = (row: KeyRow): KeyView => ({
  id: row.keyId,
  name: row.name,
  hint: row.hint,
  state: row.state,
  createdAt: row.createdAt,
  ...(row.retiresAt ? { retiresAt: row.retiresAt } : {}),
  ...(row.replacedBy ? { replacedBy: row.replacedBy } : {}),
  ...(row.boundPlanId ? { boundPlanId: row.boundPlanId } : {}),
});

export const subscriptionView = (row: SubscriptionRow): SubscriptionView => ({
  planId: row.planId,
  productSlug: row.productSlug,
  productName: row.productName,
  state: row.state,
  createdAt: row.createdAt,
  ...(row.decidedAt ? { decidedAt: row.decidedAt } : {}),
  ...(row.source ? { source: row.source } : {}),
  ...(row.notice ? { notice: row.notice } : {}),
});


/** A user's keys, subscriptions and profile: one Query on their partition (KEY# … PROFILE … SUB# sort between). */
export async function readUserAccess(userId: string): Promise<UserAccess> {
  const rows = await queryAll<KeyRow | SubscriptionRow | (Profile & { sk: string })>({
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":from": "KEY#", ":to": "SUB#\uffff" },
  });
  const keys = rows.filter((r): r is KeyRow => r.sk.startsWith("KEY#")).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const subscriptions = rows.filter((r): r is SubscriptionRow => r.sk.startsWith("SUB#")).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const profile = rows.find((r): r is Profile & { sk: string } => r.sk === PROFILE_SK);
  return { keys, subscriptions, ...(profile ? { profile } : {}) };
}

/** Changes to keys and subscriptions need an account in good standing. */
export function assertInGoodStanding(access: UserAccess): void {
  // A request that waited for the lease while the account was being deleted must not bring rows or keys back.
  if (access.profile?.status === "deleted") throw new AppError("not_found", "This account has been deleted.");
  if (access.profile?.status === "pending") throw new AppError("forbidden", "Your account is waiting for an administrator's approval. You'll be able to create keys and subscribe once it's approved.");
  if (access.profile?.status === "disabled") throw new AppError("forbidden", "This account is disabled. Contact the portal's administrators.");
}

/** The user an audit entry is about, as the access rows know them. */
export const auditSubject = (userId: string, access?: UserAccess, email?: string | null) => ({ userId, email: email ?? access?.profile?.email ?? null });

/**
 * Which key belongs in which plan — the invariant every change keeps and the reconciler enforces.
 * A user's ordinary keys are in every plan they subscribed to from the portal; a key bound to a
 * marketplace subscription is in that plan only, and only while the subscription is active.
 */
export const portalSubscriptions = (access: UserAccess) => access.subscriptions.filter((s) => s.state === "active" && s.source !== "marketplace");
export const generalKeys = (access: UserAccess) => access.keys.filter((k) => !k.boundPlanId);

/** A marketplace subscription that no longer (or never did) work: the plan is free to take again. */
export const isClosedMarketplace = (s: SubscriptionRow) => s.source === "marketplace" && (s.state === "ended" || s.state === "failed");

export function expectedPlans(access: UserAccess, key: KeyRow): string[] {
  if (key.boundPlanId) {
    const live = access.subscriptions.some((s) => s.planId === key.boundPlanId && s.source === "marketplace" && s.state === "active");
    return live ? [key.boundPlanId] : [];
  }
  return portalSubscriptions(access).map((s) => s.planId);
}

export const keysInPlan = (access: UserAccess, planId: string) => access.keys.filter((k) => expectedPlans(access, k).includes(planId));

export async function deleteKeyRow(userId: string, keyId: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: { pk: userPk(userId), sk: keySk(keyId) } }));
}

export async function deleteSubscriptionRow(userId: string, planId: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: { pk: userPk(userId), sk: subSk(planId) } }));
}

/** Undoes completed steps, newest first, when a later one fails; undo failures are left to the reconciler. */
export async function undo(steps: (() => Promise<void>)[]): Promise<void> {
  for (const step of [...steps].reverse()) await step().catch(() => undefined);
}
