import { conditionally, getItem, queryAll, updateItem } from "./items";
import { DIRECTORY_PK, directoryIndex, profileKey } from "./keys";

/**
 * One profile row per portal user (`USER#<id> / PROFILE`): what the admin console lists without
 * reading anyone's partition — who they are, their standing, and a summary of their access and
 * usage. The summary is derived from the user's partition (lib/access/profile.ts refreshes it after
 * every change), and the directory (lib/users/directory.ts) follows changes through GSI1 ordered by
 * `updatedAt`.
 *
 * Deleting an account leaves a tombstone (status "deleted", no personal data, expiring in 7 days)
 * so other admin instances drop the user from their directory too.
 */

export type AccountStatus = "active" | "pending" | "disabled" | "deleted";

export interface ProfileUsage {
  planId: string;
  /** As the user's subscription names it. */
  productName?: string;
  keyId: string;
  /** The key's name and last four characters, kept for keys that are gone (revoked or rotated away). */
  keyName?: string;
  keyHint?: string;
  /** The key was revoked, retired after rotation or left the plan: its history still counts. */
  gone?: boolean;
  /** Requests in the last 7 stored days. */
  requests7d: number;
  /** Share of the quota period used when last fetched (0–1), when the plan has a quota. */
  quotaUsed?: number;
  fetchedAt: string;
}

export interface Profile {
  userId: string;
  email: string | null;
  name: string | null;
  joinedAt: string;
  lastSignInAt?: string;
  status: AccountStatus;
  admin: boolean;
  invited?: boolean;
  keyCount: number;
  keyIds: string[];
  /** Active subscriptions (plan ids) and pending ones. */
  plans: string[];
  pendingPlans: string[];
  marketplace: boolean;
  usage: ProfileUsage[];
  /**
   * Active keys not yet told they are unused: key id → the first day of their idle stretch (the
   * last day used, or the day made). The unused-key job reads it here, not from every partition.
   */
  idleKeys?: Record<string, string>;
  /**
   * Set on a team's profile (lib/teams): its slug, and whether its owners require the keys a
   * departing member saw to be rotated (with that grace period). A team has no email; its name is `name`.
   */
  team?: { slug: string; rotateOnDeparture?: "none" | "1h" | "24h" | "7d" };
  updatedAt: string;
}

const TOMBSTONE_SECONDS = 7 * 24 * 3600;

/**
 * Sets profile fields and moves the row to the head of the directory's change feed. Never
 * revives a deleted account; creates the row when `create` is set (sign-up, first sign-in).
 * False when the row isn't there to update, is deleted, or changed since `ifUpdatedAt`.
 */
export async function updateProfile(
  userId: string,
  fields: Partial<Omit<Profile, "userId" | "updatedAt">>,
  options: { create?: Pick<Profile, "email" | "name" | "status">; ifUpdatedAt?: string; now?: Date } = {},
): Promise<boolean> {
  const updatedAt = (options.now ?? new Date()).toISOString();
  const index = directoryIndex(updatedAt, userId);
  const names: Record<string, string> = { "#status": "status", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":deleted": "deleted", ":updatedAt": updatedAt, ":dir": index.GSI1PK, ":dirSk": index.GSI1SK, ":userId": userId };
  const sets = ["#updatedAt = :updatedAt", "GSI1PK = :dir", "GSI1SK = :dirSk", "userId = :userId"];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  if (options.create) {
    const defaults = {
      joinedAt: updatedAt,
      keyCount: 0,
      keyIds: [],
      plans: [],
      pendingPlans: [],
      marketplace: false,
      usage: [],
      idleKeys: {},
      admin: false,
      ...options.create,
    };
    for (const [name, value] of Object.entries(defaults)) {
      if ((fields as Record<string, unknown>)[name] !== undefined) continue;
      names[`#${name}`] = name;
      values[`:d_${name}`] = value;
      sets.push(`#${name} = if_not_exists(#${name}, :d_${name})`);
    }
  }
  let condition = options.create ? "(attribute_not_exists(pk) OR #status <> :deleted)" : "(attribute_exists(pk) AND #status <> :deleted)";
  if (options.ifUpdatedAt) {
    condition += " AND #updatedAt = :seen";
    values[":seen"] = options.ifUpdatedAt;
  }
  return conditionally(updateItem(profileKey(userId), { expression: `SET ${sets.join(", ")}`, names, values }, { condition: { expression: condition } }));
}

/** Replaces the profile with a tombstone: no personal data, gone from every directory, expires in 7 days. */
export async function markDeleted(userId: string, now = new Date()): Promise<void> {
  const updatedAt = now.toISOString();
  const index = directoryIndex(updatedAt, userId);
  await updateItem(profileKey(userId), {
    expression:
      "SET #status = :deleted, #updatedAt = :at, GSI1PK = :dir, GSI1SK = :dirSk, userId = :userId, expires = :expires REMOVE email, #name, keyIds, #usage, plans, pendingPlans, idleKeys",
    names: { "#status": "status", "#updatedAt": "updatedAt", "#name": "name", "#usage": "usage" },
    values: {
      ":deleted": "deleted",
      ":at": updatedAt,
      ":dir": index.GSI1PK,
      ":dirSk": index.GSI1SK,
      ":userId": userId,
      ":expires": Math.ceil(now.getTime() / 1000) + TOMBSTONE_SECONDS,
    },
  });
}

/** The profile row as stored: a deleted account's tombstone included. */
export const readProfileRow = (userId: string) => getItem<Profile>(profileKey(userId), { consistent: true });

/** The profile of an account that exists (a deleted one's tombstone reads as none). */
export async function getProfile(userId: string): Promise<Profile | undefined> {
  const item = await readProfileRow(userId);
  return item && item.status !== "deleted" ? item : undefined;
}

/** Profiles changed after `since` (ISO), oldest first; the whole directory without it. */
export function profilesChangedSince(since?: string): Promise<Profile[]> {
  return queryAll<Profile>({
    IndexName: "GSI1",
    KeyConditionExpression: since ? "GSI1PK = :dir AND GSI1SK > :since" : "GSI1PK = :dir",
    ExpressionAttributeValues: { ":dir": DIRECTORY_PK, ...(since ? { ":since": since } : {}) },
  });
}
