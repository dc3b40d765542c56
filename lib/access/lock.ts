import { randomUUID } from "node:crypto";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client";
import { tableName } from "../db/table";
import { AppError } from "../errors";
import { syncProfile } from "../users/sync";
import { LOCK_SK, userPk } from "./rows";

/**
 * One writer per user at a time. Every change to a user's keys or subscriptions runs inside this
 * lease (a conditional write on `USER#<id> / LOCK`), so double clicks, concurrent tabs and the
 * jobs cannot interleave their API Gateway and DynamoDB steps. Waiters poll with jitter and then
 * see the finished state (which makes subscribe and friends idempotent rather than racy).
 * A crashed holder's lease simply expires; the reconciler repairs whatever it left half-done.
 */

const LEASE_MS = 60_000;
const WAIT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tryAcquire(userId: string, holder: string, operation: string): Promise<boolean> {
  const now = Date.now();
  try {
    await db.send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: userPk(userId), sk: LOCK_SK, holder, operation, expiresAtMs: now + LEASE_MS, expires: Math.ceil((now + LEASE_MS) / 1000) },
        ConditionExpression: "attribute_not_exists(pk) OR expiresAtMs < :now",
        ExpressionAttributeValues: { ":now": now },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

async function release(userId: string, holder: string): Promise<void> {
  await db
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: { pk: userPk(userId), sk: LOCK_SK },
        ConditionExpression: "holder = :holder",
        ExpressionAttributeValues: { ":holder": holder },
      }),
    )
    .catch((error: Error) => {
      // Someone took over an expired lease, or the account (and its rows) was deleted: nothing to release.
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
}

/**
 * Runs `work` holding the user's lease, waiting up to 15 s for it. `changed` says from the result
 * whether anything changed (default: assume so), to spare the profile refresh when nothing did.
 */
export async function withUserLock<T>(userId: string, operation: string, work: () => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
  const holder = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  let delay = 20;
  while (!(await tryAcquire(userId, holder, operation))) {
    if (Date.now() > deadline) throw new AppError("unavailable", "Another change to your account is still in progress. Try again in a moment.");
    await sleep(delay / 2 + Math.random() * delay);
    delay = Math.min(delay * 2, 400);
  }
  let sync = true;
  try {
    const result = await work();
    sync = changed(result);
    return result;
  } finally {
    await settle(userId, holder, sync);
  }
}

/** After a change (or a failed attempt, which may have changed part), the admin directory's summary follows; then the lease goes. */
async function settle(userId: string, holder: string, sync = true): Promise<void> {
  if (sync) await syncProfile(userId).catch((error: Error) => console.error(`[profile] sync failed: ${error.name}`));
  await release(userId, holder);
}

/** For jobs: runs `work` only if the lease is free right now; undefined when a user is busy. */
export async function ifUserUnlocked<T>(userId: string, operation: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const holder = randomUUID();
  if (!(await tryAcquire(userId, holder, operation))) return { ran: false };
  try {
    return { ran: true, value: await work() };
  } finally {
    await settle(userId, holder);
  }
}
