import { z } from "zod";
import { decodeCursor, encodeCursor, keyPart } from "../db/cursor";
import { conditionally, putItem, queryPage, updateItem, type RowKey } from "../db/items";
import { DELIVERY_PREFIX, deliveryKey, DUE_QUEUE, dueIndex, notifyPk } from "../db/keys";
import { categoryOf, type Category, type Channel, type Notice, type NoticeType } from "../outbox/events";

/**
 * One delivery of one notice to one target (the person's address, or one of their webhook
 * endpoints): a row that is the unit of work, its retry schedule and its log entry at once.
 *
 *   pending ──claim──▶ sending ──▶ sent
 *      ▲                  │ └────▶ failed (permanent, or out of attempts)
 *      └──── retry ◀──────┘
 *   skipped: decided at expansion or claim (opted out, address suppressed, endpoint disabled)
 *
 * Claims are conditional writes on (state, attempts): two notifier runs never send the same
 * attempt. A claim expires: a run that crashed mid-send leaves its delivery due again at the
 * claim's end, and the receiver sees the same `webhook-id` (a crash between sending and recording
 * is the one case that sends twice, as every at-least-once queue does).
 */

export type DeliveryState = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface DeliveryRow {
  pk: string;
  sk: string;
  userId: string;
  noticeId: string;
  type: NoticeType;
  category: Category;
  /** When the notice happened. */
  at: string;
  /** When this delivery was made from the notice (the notifier run's time). */
  createdAt: string;
  channel: Channel;
  /** `email`, or `webhook:<endpointId>`. */
  target: string;
  endpointId?: string;
  /** Where it went: the address, or the endpoint's URL when it was queued. */
  destination: string;
  state: DeliveryState;
  attempts: number;
  dueAt?: string;
  claimedUntil?: string;
  lastAttemptAt?: string;
  /** HTTP status of the endpoint's answer, or SES's answer in words. */
  status?: string;
  error?: string;
  /** The start of the endpoint's answer (4 KB at most). */
  response?: string;
  messageId?: string;
  sentAt?: string;
  notice: Notice;
  GSI1PK?: string;
  GSI1SK?: string;
  /** TTL: the log keeps 30 days. */
  expires: number;
}

const LOG_DAYS = 30;
/** A claim outlasts any run (the notifier stops taking work after 50 s, a send lasts 10 s at most), so a live run never loses one. */
const CLAIM_MS = 5 * 60_000;

export const deliveryRowKey = (notice: Notice, target: string): RowKey => deliveryKey(notice.userId, notice.at, notice.id, target);

/**
 * Creates the delivery if it doesn't exist yet (expanding a notice twice creates nothing twice).
 * `skipped` rows are written straight into the log with their reason.
 */
export async function createDelivery(
  notice: Notice,
  target: { channel: Channel; target: string; endpointId?: string; destination: string },
  now: Date,
  skipped?: string,
): Promise<boolean> {
  const key = deliveryRowKey(notice, target.target);
  const due = now.toISOString();
  const row: DeliveryRow = {
    ...key,
    userId: notice.userId,
    noticeId: notice.id,
    type: notice.type,
    category: categoryOf(notice.type),
    at: notice.at,
    createdAt: now.toISOString(),
    ...target,
    state: skipped ? "skipped" : "pending",
    attempts: 0,
    ...(skipped ? { error: skipped } : { dueAt: due, ...dueIndex(due, key) }),
    notice,
    expires: Math.ceil(now.getTime() / 1000) + LOG_DAYS * 86_400,
  };
  return conditionally(putItem(row, { expression: "attribute_not_exists(pk)" }));
}

/** Deliveries due at `now` (and claims that ran out), oldest first. */
export async function dueDeliveries(now: Date, limit: number): Promise<DeliveryRow[]> {
  const page = await queryPage<DeliveryRow>({
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :pk AND GSI1SK <= :now",
    ExpressionAttributeValues: { ":pk": DUE_QUEUE, ":now": `${now.toISOString()}#\uffff` },
    Limit: limit,
  });
  return page.items;
}

/**
 * Takes a delivery for one attempt until `claimUntil`: false when another run has it (or it
 * finished meanwhile). The claim moves its place in the queue to when it runs out.
 */
export async function claimDelivery(row: DeliveryRow, now: Date, claimUntil: Date): Promise<boolean> {
  const until = claimUntil.toISOString();
  return conditionally(
    updateItem(
      row,
      {
        expression: "SET #state = :sending, #attempts = :next, claimedUntil = :until, lastAttemptAt = :now, GSI1SK = :sk",
        names: { "#state": "state", "#attempts": "attempts" },
        values: { ":sending": "sending", ":next": row.attempts + 1, ":until": until, ":now": now.toISOString(), ":sk": dueIndex(until, row).GSI1SK },
      },
      {
        condition: {
          expression: "#attempts = :attempts AND (#state = :pending OR (#state = :sending AND claimedUntil < :nowIso))",
          values: { ":attempts": row.attempts, ":pending": "pending", ":nowIso": now.toISOString() },
        },
      },
    ),
  );
}

/** Claims a delivery, runs `send` for that attempt and records its outcome; undefined when another run had it. */
export async function attemptClaimed(
  delivery: DeliveryRow,
  now: Date,
  send: (claimed: DeliveryRow, attempt: number, now: Date) => Promise<Outcome>,
): Promise<Outcome["result"] | undefined> {
  if (!(await claimDelivery(delivery, now, new Date(now.getTime() + CLAIM_MS)))) return undefined;
  const attempt = delivery.attempts + 1;
  // A delivery whose claims kept running out (its run died each time) is given up, not retried forever.
  const outcome: Outcome =
    attempt > MAX_ATTEMPTS[delivery.channel] + CRASH_ALLOWANCE
      ? { result: "failed", error: `Gave up after ${delivery.attempts} attempts.` }
      : await send(delivery, attempt, now).catch((error: unknown): Outcome => {
          // A bug or a misconfiguration must not leave the delivery claimed forever, or stop the run.
          console.error(`[notify] delivery of ${delivery.type} failed unexpectedly: ${(error as Error).name}`);
          return attempt < MAX_ATTEMPTS[delivery.channel]
            ? { result: "retry", dueAt: new Date(now.getTime() + 5 * 60_000), error: "Something went wrong on our side; it will be tried again." }
            : { result: "failed", error: "Something went wrong on our side." };
        });
  const { result, ...rest } = outcome;
  const recorded = { result, ...rest } as Outcome & { disabled?: boolean };
  delete recorded.disabled;
  return (await finishDelivery(delivery, attempt, recorded, now)) ? result : undefined;
}

/** Attempts per channel (notifier.ts's schedules), and how many more a delivery may be claimed for after crashes. */
export const MAX_ATTEMPTS: Record<Channel, number> = { webhook: 8, email: 4 };
const CRASH_ALLOWANCE = 3;

/** What an attempt came to. */
export type Outcome =
  | { result: "sent"; status?: string; response?: string; messageId?: string }
  | { result: "retry"; dueAt: Date; status?: string; error: string; response?: string }
  | { result: "failed" | "skipped"; status?: string; error: string; response?: string };

/** Records a claimed attempt's outcome (only while the claim is still this attempt's). */
export async function finishDelivery(row: DeliveryRow, attempt: number, outcome: Outcome, now: Date): Promise<boolean> {
  // Every name aliased: several (status, response) are DynamoDB reserved words.
  const names: Record<string, string> = { "#state": "state", "#attempts": "attempts" };
  const values: Record<string, unknown> = { ":attempt": attempt, ":sending": "sending" };
  const sets = ["#state = :state"];
  const removes = ["#claimedUntil"];
  names["#claimedUntil"] = "claimedUntil";
  const set = (name: string, value: unknown) => {
    names[`#${name}`] = name;
    if (value === undefined) return removes.push(`#${name}`);
    sets.push(`#${name} = :${name}`);
    values[`:${name}`] = value;
  };
  values[":state"] = outcome.result === "retry" ? "pending" : outcome.result;
  set("status", outcome.status);
  set("response", outcome.response);
  set("error", "error" in outcome ? outcome.error : undefined);
  if (outcome.result === "sent") {
    set("sentAt", now.toISOString());
    if (outcome.messageId) set("messageId", outcome.messageId);
  }
  if (outcome.result === "retry") {
    const due = outcome.dueAt.toISOString();
    set("dueAt", due);
    set("GSI1SK", dueIndex(due, row).GSI1SK);
  } else for (const name of ["dueAt", "GSI1PK", "GSI1SK"]) set(name, undefined);
  return conditionally(
    updateItem(
      row,
      { expression: `SET ${sets.join(", ")} REMOVE ${removes.join(", ")}`, names, values },
      { condition: { expression: "#state = :sending AND #attempts = :attempt" } },
    ),
  );
}

/** The delivery log a person sees: newest first, 50 a page. */
export async function listDeliveries(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ deliveries: DeliveryView[]; cursor?: string }> {
  const page = await queryPage<DeliveryRow>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": notifyPk(userId), ":prefix": DELIVERY_PREFIX },
    ScanIndexForward: false,
    Limit: Math.min(options.limit ?? 50, 100),
    ExclusiveStartKey: decodeCursor(options.cursor, z.strictObject({ pk: z.literal(notifyPk(userId)), sk: keyPart })),
  });
  return { deliveries: page.items.map(deliveryView), ...(page.next ? { cursor: encodeCursor(page.next) } : {}) };
}

export interface DeliveryView {
  id: string;
  noticeId: string;
  type: NoticeType;
  category: Category;
  at: string;
  channel: Channel;
  endpointId?: string;
  destination: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  status?: string;
  error?: string;
  response?: string;
  sentAt?: string;
}

export const deliveryView = (row: DeliveryRow): DeliveryView => ({
  id: `${row.noticeId}/${row.target}`,
  noticeId: row.noticeId,
  type: row.type,
  category: row.category,
  at: row.at,
  channel: row.channel,
  ...(row.endpointId ? { endpointId: row.endpointId } : {}),
  destination: row.destination,
  state: row.state,
  attempts: row.attempts,
  ...(row.state === "pending" && row.dueAt ? { nextAttemptAt: row.dueAt } : {}),
  ...(row.lastAttemptAt ? { lastAttemptAt: row.lastAttemptAt } : {}),
  ...(row.status ? { status: row.status } : {}),
  ...(row.error ? { error: row.error } : {}),
  ...(row.response ? { response: row.response } : {}),
  ...(row.sentAt ? { sentAt: row.sentAt } : {}),
});
