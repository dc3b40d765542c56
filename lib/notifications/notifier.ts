import type { DeliveryRow, Outcome } from "./deliveries";
import { attemptClaimed, dueDeliveries } from "./deliveries";
import { pacer } from "../access/pacer";
import { getPortalSettings } from "../catalog/settings";
import { readProfileRow } from "../db/profiles";
import { readPreferences } from "./preferences";
import { expandNotice } from "./expand";
import { undeliverableEmail } from "./email-settings";
import { sendInvitation } from "./invitation";
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

/** A run takes no new work after this: less than the schedule's minute, so runs don't overlap (and double the email pace). */
const RUN_BUDGET_MS = 50_000;

export interface NotifierOptions {
  /** Notices expanded, and deliveries attempted, per round (a run goes round while there is work and time). */
  batch?: number;
  /** Stop taking new work this long after the start (the Lambda's timeout is longer). */
  budgetMs?: number;
  /** Deliveries in flight at once: one slow endpoint (10 s at most) mustn't hold up everyone's mail. */
  concurrency?: number;
  /** Emails a second, at most (default: portal.yaml's `notifications.emailsPerSecond`). */
  emailsPerSecond?: number;
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
  const concurrency = options.concurrency ?? 16;
  const stopAt = Date.now() + (options.budgetMs ?? RUN_BUDGET_MS);
  const report: NotifierReport = { expanded: 0, sent: 0, retried: 0, failed: 0, skipped: 0, disabled: 0 };
  // Email at the pace SES allows (one run at a time: the budget ends each run before the next is due).
  const emailPace = pacer(options.emailsPerSecond ?? getPortalSettings().notifications.emailsPerSecond);
  // Rounds until nothing is queued or due (or time is up): a burst (a collector run's alerts) goes out in one run.
  for (let progress = true; progress && Date.now() < stopAt;) {
    const notices = await queuedNotices(batch);
    await inParallel(notices, concurrency, stopAt, async (row) => {
      await expandNotice(row.notice, now);
      await markExpanded(row, now);
      report.expanded += 1;
    });
    // A delivery another run holds stays due (its claim's end): a round that only found those is no progress.
    let attempted = 0;
    await inParallel(await dueDeliveries(now, batch), concurrency, stopAt, async (delivery) => {
      let disabled = false;
      const result = await attemptClaimed(delivery, now, async (claimed, attempt) => {
        const outcome = await send(claimed, attempt, now, emailPace);
        disabled = outcome.disabled === true;
        return outcome;
      });
      if (result) {
        attempted += 1;
        report[result === "retry" ? "retried" : result] += 1;
      }
      if (disabled) report.disabled += 1;
    });
    progress = notices.length > 0 || attempted > 0;
  }
  return report;
}

/** Runs `work` over `items`, `limit` at a time, taking no new item after `stopAt`; the first failure is thrown once all have settled. */
async function inParallel<T>(items: T[], limit: number, stopAt: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length && Date.now() < stopAt && !failures.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures[0];
}

async function send(delivery: DeliveryRow, attempt: number, now: Date, emailPace: () => Promise<void>): Promise<Outcome & { disabled?: boolean }> {
  if (delivery.channel === "webhook") return attemptWebhook(delivery, attempt, now);
  // To an address, not an account: checked against the invitation as it is now (revoked, resent, expired, suppressed).
  if (delivery.type === "team.invited") return sendInvitation(delivery, attempt, now, emailPace, EMAIL_BACKOFF_MS);
  // As things are now, not as they were when the notice was expanded: an unsubscribe, a bounce, a
  // new address or a deleted account in between (retries can span half an hour) are respected.
  const [profile, prefs] = await Promise.all([readProfileRow(delivery.userId), readPreferences(delivery.userId)]);
  if (!profile || profile.status === "deleted") return { result: "skipped", error: "The account was deleted." };
  if (!prefs.email[delivery.category]) return { result: "skipped", error: "Switched off before it was sent." };
  const blocked = await undeliverableEmail(profile.email);
  if (blocked) return { result: "skipped", error: blocked };
  await emailPace();
  const result = await sendNoticeEmail(delivery.notice, profile.email!, profile.name);
  if (result.ok) return { result: "sent", status: "accepted by SES", messageId: result.messageId };
  return retryOrFail(result.error, EMAIL_BACKOFF_MS, attempt, now, result.retryable);
}
