import { deleteItem } from "../db/items";
import { keySk, subSk, userPk } from "../db/keys";
import { readAccessRows, type UserPartition } from "../db/partition";
import type { KeyRow, SubscriptionRow } from "../db/rows";
import { AppError } from "../errors";
import type { KeyView, SubscriptionView } from "./types";
import { asUndo } from "../limits/priority";

/**
 * The read model of a user's API access: their KEY# and SUB# rows (lib/db/rows.ts), in their own
 * partition next to the Auth.js rows, so one Query reads everything a dashboard needs and no Scan
 * is ever needed. Two GSI1 queues serve the jobs and admins: retiring keys by expiry time and
 * pending subscriptions by request time (lib/db/keys.ts).
 */

export type UserAccess = Pick<UserPartition, "keys" | "subscriptions" | "profile">;

export const keyView = (row: KeyRow): KeyView => ({
  id: row.keyId,
  name: row.name,
  hint: row.hint,
  state: row.state,
  createdAt: row.createdAt,
  ...(row.retiresAt ? { retiresAt: row.retiresAt } : {}),
  ...(row.replacedBy ? { replacedBy: row.replacedBy } : {}),
  ...(row.boundPlanId ? { boundPlanId: row.boundPlanId } : {}),
  ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}),
  ...(row.lastUsedDay ? { lastUsedDay: row.lastUsedDay } : {}),
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

/** A user's keys, subscriptions (each oldest first) and profile: one Query on their partition. */
export async function readUserAccess(userId: string): Promise<UserAccess> {
  const { keys, subscriptions, profile } = await readAccessRows(userId);
  return {
    keys: keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    subscriptions: subscriptions.sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    ...(profile ? { profile } : {}),
  };
}

/** What every change to a team an administrator disabled is refused with (lib/teams reads it too). */
export const TEAM_DISABLED_MESSAGE =
  "This team has been disabled by an administrator. Its members can still see it, but nothing can change until an administrator enables it again.";

/** Changes to keys and subscriptions need an account in good standing. */
export function assertInGoodStanding(access: UserAccess): void {
  // A request that waited for the lease while the account was being deleted must not bring rows or keys back.
  if (access.profile?.status === "deleted") throw new AppError("not_found", "This account has been deleted.");
  if (access.profile?.status === "pending")
    throw new AppError("forbidden", "Your account is waiting for an administrator's approval. You'll be able to create keys and subscribe once it's approved.");
  if (access.profile?.status === "disabled")
    throw new AppError("forbidden", access.profile.team ? TEAM_DISABLED_MESSAGE : "This account is disabled. Contact the portal's administrators.");
}

/** The user an audit entry is about, as the access rows know them. */
export const auditSubject = (userId: string, access?: UserAccess, email?: string | null) => ({
  userId,
  email: email ?? access?.profile?.email ?? null,
  // A team's entries name it (its members act; the team is what changed).
  ...(access?.profile?.team ? { team: access.profile.team.slug } : {}),
});

/**
 * Which key belongs in which plan — the invariant every change keeps and the reconciler enforces.
 * A user's ordinary keys are in every plan they subscribed to from the portal; a key bound to a
 * marketplace subscription is in that plan only, and only while the subscription is active.
 */
export const portalSubscriptions = (access: Pick<UserAccess, "subscriptions">) =>
  access.subscriptions.filter((s) => s.state === "active" && s.source !== "marketplace");
export const generalKeys = (access: Pick<UserAccess, "keys">) => access.keys.filter((k) => !k.boundPlanId);

/** A marketplace subscription that no longer (or never did) work: the plan is free to take again. */
export const isClosedMarketplace = (s: SubscriptionRow) => s.source === "marketplace" && (s.state === "ended" || s.state === "failed");

export function expectedPlans(access: Pick<UserAccess, "keys" | "subscriptions">, key: KeyRow): string[] {
  if (key.boundPlanId) {
    const live = access.subscriptions.some((s) => s.planId === key.boundPlanId && s.source === "marketplace" && s.state === "active");
    return live ? [key.boundPlanId] : [];
  }
  return portalSubscriptions(access).map((s) => s.planId);
}

export const keysInPlan = (access: Pick<UserAccess, "keys" | "subscriptions">, planId: string) =>
  access.keys.filter((k) => expectedPlans(access, k).includes(planId));

export async function deleteKeyRow(userId: string, keyId: string): Promise<void> {
  await deleteItem({ pk: userPk(userId), sk: keySk(keyId) });
}

export async function deleteSubscriptionRow(userId: string, planId: string): Promise<void> {
  await deleteItem({ pk: userPk(userId), sk: subSk(planId) });
}

/** Undoes completed steps, newest first, when a later one fails; undo failures are left to the reconciler. */
export async function undo(steps: (() => Promise<void>)[]): Promise<void> {
  // Patient: a step refused as "busy" would leave the change half done (for the reconciler to find).
  for (const step of [...steps].reverse()) await asUndo(step).catch(() => undefined);
}
