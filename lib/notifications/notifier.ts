import type { DeliveryRow, Outcome } from "./deliveries";
import { attemptClaimed, dueDeliveries } from "./deliveries";
import { readProfileRow } from "../db/profiles";
import { expandNotice } from "./expand";
import { sendNoticeEmail } from "./mail";
import { markExpanded, queuedNotices } from "../outbox/queue";
import { attemptWebhook, retryOrFail } from "./webhook-attempt";

/**
 * The notifier job (functions/notifier.ts, every minute): expands queued notices into deliveries
 * (one per channel target the person wants), then sends what is due, retrying webhooks with
 * backoff for over a day and disabling an endpoint that kept failing. Stored rows only: no
 * control-plane calls. Safe to run twice at once, or again after a crash (see deliveries.ts).
 */

/** Email attempts for transient SES errors (throttling, outages). */
export const EMAIL_BACKOFF_MS = [0, 60_000, 5 * 60_000, 30 * 60_000];
export { WEBHOOK_BACKOFF_MS } from "./webhook-attempt";

export interface NotifierOptions {
  /** Notices expanded and deliveries sent per run, at most. */
  batch?: number;
  /** Stop taking new work this long after the start (the Lambda's timeout is longer). */
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
    await expandNotice(row.notice, now);
    await markExpanded(row, now);
    report.expanded += 1;
  }
  for (const delivery of await dueDeliveries(now, batch)) {
    if (Date.now() > stopAt) break;
    let disabled = false;
    const result = await attemptClaimed(delivery, now, async (claimed, attempt) => {
      const outcome = await send(claimed, attempt, now);
      disabled = outcome.disabled === true;
      return outcome;
    });
    if (result) report[result === "retry" ? "retried" : result] += 1;
    if (disabled) report.disabled += 1;
  }
  return report;
}

async function send(delivery: DeliveryRow, attempt: number, now: Date): Promise<Outcome & { disabled?: boolean }> {
  if (delivery.channel === "webhook") return attemptWebhook(delivery, attempt, now);
  const result = await sendNoticeEmail(delivery.notice, delivery.destination, (await readProfileRow(delivery.userId))?.name);
  if (result.ok) return { result: "sent", status: "accepted by SES", messageId: result.messageId };
  return retryOrFail(result.error, EMAIL_BACKOFF_MS, attempt, now, result.retryable);
}
