import { randomUUID } from "node:crypto";
import { getItem, updateItem } from "../db/items";
import { noticeKey, suppressedKey } from "../db/keys";
import { AppError } from "../errors";
import { readProfileRow } from "../db/profiles";
import { categoryOf, type Notice } from "../outbox/events";
import {
  claimDelivery,
  createDelivery,
  deliveryRowKey,
  deliveryView,
  dueDeliveries,
  finishDelivery,
  type DeliveryRow,
  type DeliveryView,
  type Outcome,
} from "./deliveries";
import { getEndpointRow, getEndpointRowIfAny, listEndpointRows, signingSecrets, type EndpointRow } from "./endpoints";
import { emailSettings, sendNoticeEmail } from "./mail";
import { markExpanded, queueNotice, queuedNotices, type NoticeRow } from "../outbox/queue";
import { readPreferences } from "./preferences";
import { deliverWebhook } from "../webhooks/deliver";

/**
 * The notifier job (functions/notifier.ts, every minute): expands queued notices into deliveries
 * (one per channel target the person wants), then sends what is due, retrying webhooks with
 * backoff for over a day and disabling an endpoint that kept failing. Stored rows only: no
 * control-plane calls. Safe to run twice at once, or again after a crash (see deliveries.ts).
 */

/** Webhook attempts and the wait before each (Standard Webhooks' suggested schedule, from a 1-minute job): 27 h 36 min in all. */
export const WEBHOOK_BACKOFF_MS = [0, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
/** Email attempts for transient SES errors (throttling, outages). */
export const EMAIL_BACKOFF_MS = [0, 60_000, 5 * 60_000, 30 * 60_000];
/** An endpoint that has failed every attempt for this long (and at least DISABLE_MIN_FAILURES times) is disabled. */
export const DISABLE_AFTER_MS = 24 * 3_600_000;
export const DISABLE_MIN_FAILURES = 5;
/** Longer than a run may last, so a live run never loses its claim. */
const CLAIM_MS = 5 * 60_000;

export interface NotifierOptions {
  /** Notices expanded and deliveries sent per run, at most. */
  batch?: number;
  /** Stop claiming new work this long after the start (the Lambda's timeout is longer). */
  budgetMs?: number;
}

export interface NotifierReport {
  expanded: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  disabled: number;
}

export async function runNotifier(now = new Date(), options: NotifierOptions = {}): Promise<NotifierReport> {
  const batch = options.batch ?? 500;
  const stopAt = Date.now() + (options.budgetMs ?? 120_000);
  const report: NotifierReport = { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0, disabled: 0 };
  for (const row of await queuedNotices(batch)) {
    if (Date.now() > stopAt) break;
    await expand(row.notice, now);
    await markExpanded(row, now);
    report.expanded += 1;
  }
  for (const delivery of await dueDeliveries(now, batch)) {
    if (Date.now() > stopAt) break;
    await attempt(delivery, now, report);
  }
  return report;
}

/** One attempt at a delivery, if this run can claim it. */
async function attempt(delivery: DeliveryRow, now: Date, report: NotifierReport): Promise<void> {
  if (!(await claimDelivery(delivery, now, new Date(now.getTime() + CLAIM_MS)))) return;
  const attempt = delivery.attempts + 1;
  const outcome = await attemptDelivery(delivery, attempt, now, report);
  if (await finishDelivery(delivery, attempt, outcome, now)) report[outcome.result === "retry" ? "retried" : outcome.result] += 1;
}

/**
 * "Send test event": queued like any notice (so it is in the log and retried like the rest), then
 * expanded and attempted at once, so the person sees the endpoint's answer without waiting for a run.
 */
export async function sendTestEvent(user: { id: string }, endpointId: string): Promise<DeliveryView> {
  await getEndpointRow(user.id, endpointId); // 404 for someone else's or a deleted endpoint
  const now = new Date();
  const notice: Notice = { id: `test-${randomUUID()}`, type: "webhook.test", userId: user.id, at: now.toISOString(), data: { endpointId } };
  await queueNotice(notice, { now });
  const row = await getItem<NoticeRow>(noticeKey(user.id, notice.id), { consistent: true });
  if (row?.GSI1PK) {
    await expand(notice, now);
    await markExpanded(row, now);
  }
  const key = deliveryRowKey(notice, `webhook:${endpointId}`);
  const delivery = await getItem<DeliveryRow>(key, { consistent: true });
  if (!delivery) throw new AppError("not_found", "No such webhook endpoint.");
  await attempt(delivery, now, { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0, disabled: 0 });
  return deliveryView((await getItem<DeliveryRow>(key, { consistent: true })) ?? delivery);
}

/** Creates the notice's deliveries: its person's email (when they want it and it can reach them) and each endpoint. */
async function expand(notice: Notice, now: Date): Promise<void> {
  const category = categoryOf(notice.type);
  const [prefs, profile] = await Promise.all([readPreferences(notice.userId), readProfileRow(notice.userId)]);
  if (!profile || profile.status === "deleted") return;
  if (notice.type === "webhook.test") {
    const endpoint = await getEndpointRowIfAny(notice.userId, notice.data.endpointId);
    if (endpoint) await createDelivery(notice, webhookTarget(endpoint), now);
    return;
  }
  if (prefs.email[category]) {
    const email = profile.email;
    const skip = !emailSettings()
      ? "Email isn't set up on this portal."
      : !email
        ? "Your account has no email address."
        : (await getItem(suppressedKey(email)))
          ? "Not sent: mail to this address bounced or was reported as spam."
          : undefined;
    await createDelivery(notice, { channel: "email", target: "email", destination: email ?? "—" }, now, skip);
  }
  // An endpoint's own trouble is told by email only (its webhook is what's failing).
  if (prefs.webhook[category] && notice.type !== "webhook.disabled")
    for (const endpoint of await listEndpointRows(notice.userId)) if (endpoint.state === "enabled") await createDelivery(notice, webhookTarget(endpoint), now);
}

const webhookTarget = (endpoint: EndpointRow) => ({
  channel: "webhook" as const,
  target: `webhook:${endpoint.endpointId}`,
  endpointId: endpoint.endpointId,
  destination: endpoint.url,
});

async function attemptDelivery(delivery: DeliveryRow, attempt: number, now: Date, report: NotifierReport): Promise<Outcome> {
  if (delivery.channel === "email") {
    const result = await sendNoticeEmail(delivery.notice, delivery.destination);
    if (result.ok) return { result: "sent", status: "accepted by SES", messageId: result.messageId };
    return retryOrFail(result.error, EMAIL_BACKOFF_MS, attempt, now, result.retryable);
  }
  const endpoint = await getEndpointRowIfAny(delivery.userId, delivery.endpointId!);
  if (!endpoint) return { result: "skipped", error: "The endpoint was deleted." };
  if (endpoint.state === "disabled" && delivery.type !== "webhook.test") return { result: "skipped", error: "The endpoint is disabled." };
  const result = await deliverWebhook({
    url: endpoint.url,
    secrets: signingSecrets(endpoint, now.getTime()),
    id: delivery.noticeId,
    // The receiver checks this against its own clock (replay protection): the real time, not the run's.
    timestamp: new Date(),
    payload: JSON.stringify({ type: delivery.type, timestamp: delivery.at, data: delivery.notice.data }),
  });
  const status = result.status !== undefined ? String(result.status) : undefined;
  await recordEndpointHealth(endpoint, result.ok, status ?? result.error ?? "failed", now, report);
  if (result.ok) return { result: "sent", ...(status ? { status } : {}), ...(result.response ? { response: result.response } : {}) };
  const outcome = retryOrFail(result.error ?? `HTTP ${status}`, WEBHOOK_BACKOFF_MS, attempt, now, true);
  return { ...outcome, ...(status ? { status } : {}), ...(result.response ? { response: result.response } : {}) };
}

function retryOrFail(error: string, schedule: number[], attempt: number, now: Date, retryable: boolean): Outcome {
  const wait = schedule[attempt];
  if (!retryable || wait === undefined) return { result: "failed", error };
  return { result: "retry", dueAt: new Date(now.getTime() + wait), error };
}

/**
 * After each attempt: a success clears the endpoint's failure run; a failure extends it, and one
 * that has lasted DISABLE_AFTER_MS disables the endpoint and tells its owner by email.
 */
async function recordEndpointHealth(endpoint: EndpointRow, ok: boolean, status: string, now: Date, report: NotifierReport): Promise<void> {
  const at = now.toISOString();
  if (ok) {
    await updateItem(endpoint, { expression: "SET lastStatus = :s, lastDeliveryAt = :at REMOVE failingSince, failures", values: { ":s": status, ":at": at } });
    return;
  }
  const updated = await updateItem<EndpointRow>(
    endpoint,
    {
      expression:
        "SET lastStatus = :s, lastDeliveryAt = :at, failingSince = if_not_exists(failingSince, :at), failures = if_not_exists(failures, :zero) + :one",
      values: { ":s": status, ":at": at, ":zero": 0, ":one": 1 },
    },
    { returnNew: true },
  );
  const since = updated.failingSince ?? at;
  if (updated.state !== "enabled" || (updated.failures ?? 0) < DISABLE_MIN_FAILURES || now.getTime() - Date.parse(since) < DISABLE_AFTER_MS) return;
  await updateItem(endpoint, {
    expression: "SET #state = :disabled, disabledAt = :at, disabledReason = :why",
    names: { "#state": "state" },
    values: { ":disabled": "disabled", ":at": at, ":why": `Every delivery failed for over a day (last: ${status}).` },
  });
  report.disabled += 1;
  await queueNotice({
    id: `webhook-disabled:${endpoint.endpointId}:${since}`,
    type: "webhook.disabled",
    userId: endpoint.userId,
    at,
    data: { endpointId: endpoint.endpointId, url: endpoint.url, failingSince: since, lastStatus: status },
  });
}
