import { queryAll, type RowKey } from "./items";
import { KEY_PREFIX, notifyPk, PROFILE_SK, SUB_PREFIX, USAGE_PREFIX, userPk } from "./keys";
import type { Profile } from "./profiles";
import type { KeyRow, SubscriptionRow, UsageRow } from "./rows";

/** Any row of a user's partition, as DynamoDB returns it. */
export type PartitionRow = RowKey & Record<string, unknown>;

/** A user's partition, each row by kind (in sort key order; sessions, accounts and the lease left out). */
export interface UserPartition {
  /** The Auth.js user: absent for someone who never signed in. */
  user?: { email?: string | null; name?: string | null };
  profile?: Profile;
  keys: KeyRow[];
  subscriptions: SubscriptionRow[];
  usage: UsageRow[];
}

export function sortPartition(rows: PartitionRow[]): UserPartition {
  const partition: UserPartition = { keys: [], subscriptions: [], usage: [] };
  for (const row of rows) {
    if (row.sk === row.pk) partition.user = row as UserPartition["user"];
    else if (row.sk === PROFILE_SK) partition.profile = row as unknown as Profile;
    else if (row.sk.startsWith(KEY_PREFIX)) partition.keys.push(row as unknown as KeyRow);
    else if (row.sk.startsWith(SUB_PREFIX)) partition.subscriptions.push(row as unknown as SubscriptionRow);
    else if (row.sk.startsWith(USAGE_PREFIX)) partition.usage.push(row as unknown as UsageRow);
  }
  return partition;
}

/** Every row of the user's partition (one Query). */
export async function readPartition(userId: string, options: { consistent?: boolean } = {}): Promise<UserPartition> {
  return sortPartition(
    await queryAll<PartitionRow>({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": userPk(userId) },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    }),
  );
}

/** Keys, subscriptions and profile only: KEY# … PROFILE … SUB# sort together, so one Query reads just them. */
export async function readAccessRows(userId: string): Promise<Pick<UserPartition, "keys" | "subscriptions" | "profile">> {
  const rows = await queryAll<PartitionRow>({
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":from": KEY_PREFIX, ":to": `${SUB_PREFIX}\uffff` },
  });
  const { keys, subscriptions, profile } = sortPartition(rows);
  return { keys, subscriptions, ...(profile ? { profile } : {}) };
}

/** The user's usage rows, of one plan or of all. */
export function readUsageRows(userId: string, options: { planId?: string; consistent?: boolean } = {}): Promise<UsageRow[]> {
  return queryAll<UsageRow>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": options.planId ? `${USAGE_PREFIX}${options.planId}#` : USAGE_PREFIX },
    ...(options.consistent ? { ConsistentRead: true } : {}),
  });
}

/** The key of every row in the user's partition (or their notification partition), whatever its kind. */
export function partitionKeys(userId: string, options: { consistent?: boolean; partition?: "user" | "notify" } = {}): Promise<RowKey[]> {
  return queryAll<RowKey>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": options.partition === "notify" ? notifyPk(userId) : userPk(userId) },
    ProjectionExpression: "pk, sk",
    ...(options.consistent ? { ConsistentRead: true } : {}),
  });
}
