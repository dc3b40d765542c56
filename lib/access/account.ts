import { deleteApiKey, setApiKeyEnabled } from "../apigateway";
import { recordAudit } from "../audit";
import type { SubscribeTarget } from "../catalog/types";
import { deleteUser } from "../cognito";
import { cognitoUsername } from "../db/auth-rows";
import { unbindCustomer } from "../db/customers";
import { deleteRows, getItem } from "../db/items";
import { LOCK_SK, memberKey, PROFILE_SK } from "../db/keys";
import { readMembershipRows } from "../db/memberships";
import { partitionKeys } from "../db/partition";
import { markDeleted } from "../db/profiles";
import { AppError } from "../errors";
import { keyAllowance, type AccessUser } from "./keys";
import { changeAccess } from "./profile";
import { deleteKeyRow, keyView, readUserAccess, subscriptionView, type UserAccess } from "./rows";
import { offerFor } from "./subscriptions";
import type { KeyAllowance, KeyView, PlanOffer, SubscriptionView } from "./types";

export interface AccessSummary {
  keys: KeyView[];
  subscriptions: SubscriptionView[];
  maxKeys: number;
  /** Keys against the limit, counted as creating a key counts them. */
  allowance: KeyAllowance;
  standing: "active" | "pending" | "disabled";
  /** planId → what subscribing to each of `targets` would do now. */
  offers: Record<string, PlanOffer>;
}

/**
 * Everything the dashboard shows about access, from DynamoDB alone (no control-plane calls), and
 * what subscribing to each of `targets` (the products the user can see) would do.
 */
export async function getAccessSummary(userId: string, targets: SubscribeTarget[] = []): Promise<AccessSummary> {
  const access = await readUserAccess(userId);
  const status = access.profile?.status;
  const standing = status === "pending" || status === "disabled" ? status : "active";
  const allowance = keyAllowance(access);
  return {
    keys: access.keys.map(keyView),
    subscriptions: access.subscriptions.map(subscriptionView),
    maxKeys: allowance.max,
    allowance,
    standing,
    offers: Object.fromEntries(targets.map((target) => [target.planId, offerFor(access, target)])),
  };
}

/**
 * Deletes the user's keys from API Gateway, the sign-in account from Cognito, then every row of
 * theirs (keys, subscriptions, usage, sessions, the Auth.js user). Each step is safe to repeat, so
 * a failure part-way leaves an account that deleting again finishes.
 */
export async function deleteAccount(user: AccessUser & { userPoolId: string }, confirmation: string): Promise<void> {
  assertDeletionConfirmed(user, confirmation);
  await removeAccount(user);
}

/** The person typed their own email address to confirm deleting their account. */
export function assertDeletionConfirmed(user: Pick<AccessUser, "email">, confirmation: string): void {
  if (!user.email || confirmation.trim().toLowerCase() !== user.email.toLowerCase()) {
    throw new AppError("bad_request", "Type your email address exactly to confirm.");
  }
}

/** Deletes an account without asking (the user confirmed, or an admin decided). */
export async function removeAccount(user: AccessUser & { userPoolId: string }): Promise<void> {
  await changeAccess(user.id, "delete-account", async () => {
    // The person left their teams before this (lib/teams leaveAllTeams); joining one takes this same lease
    // (lib/teams/joining.ts), so a membership here was made in between: nothing is deleted, and trying again leaves it.
    if (await isInAnyTeam(user.id))
      throw new AppError("conflict", "This account joined a team while it was being deleted, so nothing was deleted. Try again: it leaves the team first.");
    const access = await readUserAccess(user.id);
    await dropAllAccess(user.id, access);
    // By the linked sub (read before the rows go): the email is an alias that may now be someone else's.
    const username = await cognitoUsername(user.id, user.email);
    await deleteUser(username!, user.userPoolId).catch((error: unknown) => {
      throw new AppError("unavailable", "Couldn't delete your sign-in account. Your keys are gone; try again in a moment to finish.", { cause: error });
    });
    // The lease row goes last (withUserLock's release tolerates its absence).
    const rows = await partitionKeys(user.id);
    await deleteRows(rows.filter((r) => r.sk !== LOCK_SK && r.sk !== PROFILE_SK));
    // Preferences, webhook endpoints (and their secrets), queued notices and the delivery log.
    await deleteRows(await partitionKeys(user.id, { partition: "notify" }));
    await markDeleted(user.id);
    await recordAudit({
      type: "account.deleted",
      subject: { userId: user.id, email: user.email },
      before: { keys: access.keys.length, subscriptions: access.subscriptions.length },
    });
  });
}

/**
 * Deletes every key of an owner (a person or a team) from API Gateway, which takes it out of every
 * plan, with its row, and frees the AWS Marketplace identities its subscriptions held: a buyer who
 * leaves (or whose team is deleted) can register the same purchase again. The subscription rows go
 * with the partition. Run under the owner's lease; safe to repeat.
 */
export async function dropAllAccess(ownerId: string, access: UserAccess): Promise<void> {
  for (const sub of access.subscriptions) for (const customerKey of sub.customerKeys ?? []) await unbindCustomer(customerKey, ownerId);
  for (const key of access.keys) {
    await deleteApiKey(key.keyId);
    await deleteKeyRow(ownerId, key.keyId);
  }
}

/**
 * Turns every key of an owner (a person or a team) off, or back on, in API Gateway: what disabling
 * and enabling an account or a team does to its keys. Enabling never brings back a key whose time
 * is up (revoked, or rotated without grace): it waits for the sweeper. Run under the owner's lease.
 * Returns how many keys it set.
 */
export async function setKeysEnabled(ownerId: string, enabled: boolean): Promise<number> {
  const { keys } = await readUserAccess(ownerId);
  const now = new Date().toISOString();
  const affected = enabled ? keys.filter((k) => k.state === "active" || (k.retiresAt ?? "") > now) : keys;
  for (const key of affected) await setApiKeyEnabled(key.keyId, enabled);
  return affected.length;
}

/** Whether the person is a member of any team: the index's rows, each confirmed by its member row (the index lags a removal by a moment). */
async function isInAnyTeam(userId: string): Promise<boolean> {
  const listed = await readMembershipRows<{ teamId: string }>(userId);
  for (const { teamId } of listed) if (await getItem(memberKey(teamId, userId), { consistent: true })) return true;
  return false;
}
