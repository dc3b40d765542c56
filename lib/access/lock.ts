import { randomUUID } from "node:crypto";
import { conditionally, deleteItem, putItem } from "../db/items";
import { lockKey } from "../db/keys";
import { AppError } from "../errors";
import { currentPriority, urgently, withinDeadline } from "../limits/priority";

/**
 * One writer per user at a time. Every change to a user's keys or subscriptions runs inside this
 * lease (a conditional write on `USER#<id> / LOCK`), so double clicks, concurrent tabs and the
 * jobs cannot interleave their API Gateway and DynamoDB steps. Waiters poll with jitter and then
 * see the finished state (which makes subscribe and friends idempotent rather than racy).
 * A crashed holder's lease simply expires; the reconciler repairs whatever it left half-done.
 * Changes take the lease through profile.ts changeAccess, which refreshes the user's profile before letting it go.
 */

const LEASE_MS = 60_000;
const WAIT_MS = 15_000;
/** Waits for API Gateway turns inside a lease end this long before it does, so the work finishes while it still holds. */
const LEASE_MARGIN_MS = 15_000;
/** Undoing a half-done change may wait until this long before the lease ends. */
const UNDO_MARGIN_MS = 5_000;

/**
 * Runs the lease holder's work with every wait for a control-plane turn ending before the lease
 * does; a job's work goes ahead of other jobs meanwhile, since the user can't change anything until it ends.
 */
function withinLease<T>(acquiredAt: number, work: () => Promise<T>): Promise<T> {
  const end = acquiredAt + LEASE_MS;
  const held = currentPriority() === "background" ? () => urgently(work) : work;
  return withinDeadline(end - LEASE_MARGIN_MS, held, end - UNDO_MARGIN_MS);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tryAcquire(userId: string, holder: string, operation: string): Promise<boolean> {
  const now = Date.now();
  return conditionally(
    putItem(
      { ...lockKey(userId), holder, operation, expiresAtMs: now + LEASE_MS, expires: Math.ceil((now + LEASE_MS) / 1000) },
      { expression: "attribute_not_exists(pk) OR expiresAtMs < :now", values: { ":now": now } },
    ),
  );
}

async function release(userId: string, holder: string): Promise<void> {
  // Someone took over an expired lease, or the account (and its rows) was deleted: nothing to release then.
  await conditionally(deleteItem(lockKey(userId), { expression: "holder = :holder", values: { ":holder": holder } }));
}

/** Runs `work` holding the user's lease, waiting up to 15 s for it. */
export async function withUserLock<T>(userId: string, operation: string, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  let delay = 20;
  let acquiredAt = Date.now();
  while (!(await tryAcquire(userId, holder, operation))) {
    if (Date.now() > deadline)
      throw new AppError("unavailable", "Another change to your account is still in progress. Try again in a moment.", { retryAfterSeconds: 5 });
    await sleep(delay / 2 + Math.random() * delay);
    delay = Math.min(delay * 2, 400);
    acquiredAt = Date.now();
  }
  try {
    return await withinLease(acquiredAt, work);
  } finally {
    await release(userId, holder);
  }
}

/** For jobs: runs `work` only if the lease is free right now; `ran: false` when the user is busy. */
export async function ifUserUnlocked<T>(userId: string, operation: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  const holder = randomUUID();
  const acquiredAt = Date.now();
  if (!(await tryAcquire(userId, holder, operation))) return { ran: false };
  try {
    return { ran: true, value: await withinLease(acquiredAt, work) };
  } finally {
    await release(userId, holder);
  }
}
