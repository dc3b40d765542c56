import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { queryAll } from "../db/query";
import { db } from "../db/client";
import { tableName } from "../db/table";

/**
 * One profile row per portal user (`USER#<id> / PROFILE`): what the admin console lists without
 * reading anyone's partition — who they are, their standing, and a summary of their access and
 * usage. It is derived: `syncProfile` recomputes it from the user's partition after every change,
 * and the directory (directory.ts) follows changes through GSI1 ordered by `updatedAt`.
 *
 * Deleting an account leaves a tombstone (status "deleted", no personal data, expiring in 7 days)
 * so other admin instances drop the user from their directory too.
 */

export const PROFILE_SK = "PROFILE";
export const DIRECTORY_PK = "PORTICO#DIRECTORY";

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
  updatedAt: string;
}

export const profileKey = (userId: string) => ({ pk: `USER#${userId}`, sk: PROFILE_SK });
const TOMBSTONE_SECONDS = 7 * 24 * 3600;

/**
 * Sets profile fields and moves the row to the head of the directory's change feed. Never
 * revives a deleted account; creates the row when `create` is set (sign-up, first sign-in).
 */
export async function updateProfile(
  userId: string,
  fields: Partial<Omit<Profile, "userId" | "updatedAt">>,
  options: { create?: Pick<Profile, "email" | "name" | "status">; ifUpdatedAt?: string; now?: Date } = {},
): Promise<boolean> {
  const updatedAt = (options.now ?? new Date()).toISOString();
  const names: Record<string, string> = { "#status": "status", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":deleted": "deleted", ":updatedAt": updatedAt, ":dir": DIRECTORY_PK, ":dirSk": `${updatedAt}#${userId}`, ":userId": userId };
  const sets = ["#updatedAt = :updatedAt", "GSI1PK = :dir", "GSI1SK = :dirSk", "userId = :userId"];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  if (options.create) {
    const defaults = { joinedAt: updatedAt, keyCount: 0, keyIds: [], plans: [], pendingPlans: [], marketplace: false, usage: [], admin: false, ...options.create };
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
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: profileKey(userId),
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** Replaces the profile with a tombstone: no personal data, gone from every directory, expires in 7 days. */
export async function markDeleted(userId: string, now = new Date()): Promise<void> {
  const updatedAt = now.toISOString();
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: profileKey(userId),
      UpdateExpression: "SET #status = :deleted, #updatedAt = :at, GSI1PK = :dir, GSI1SK = :dirSk, userId = :userId, expires = :expires REMOVE email, #name, keyIds, #usage, plans, pendingPlans",
      ExpressionAttributeNames: { "#status": "status", "#updatedAt": "updatedAt", "#name": "name", "#usage": "usage" },
      ExpressionAttributeValues: { ":deleted": "deleted", ":at": updatedAt, ":dir": DIRECTORY_PK, ":dirSk": `${updatedAt}#${userId}`, ":userId": userId, ":expires": Math.ceil(now.getTime() / 1000) + TOMBSTONE_SECONDS },
    }),
  );
}

export async function getProfile(userId: string): Promise<Profile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: profileKey(userId), ConsistentRead: true }));
  return Item && Item.status !== "deleted" ? (Item as Profile) : undefined;
}

/** Profiles changed after `since` (ISO), oldest first; the whole directory without it. */
export function profilesChangedSince(since?: string): Promise<Profile[]> {
  return queryAll<Profile>({
    IndexName: "GSI1",
    KeyConditionExpression: since ? "GSI1PK = :dir AND GSI1SK > :since" : "GSI1PK = :dir",
    ExpressionAttributeValues: { ":dir": DIRECTORY_PK, ...(since ? { ":since": since } : {}) },
  });
}
