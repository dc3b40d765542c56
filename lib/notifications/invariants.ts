import { queryAll } from "../db/items";
import { DELIVERY_PREFIX, NOTICE_PREFIX, notifyPk, WEBHOOK_PREFIX } from "../db/keys";
import { categoryOf } from "../outbox/events";
import type { NoticeRow } from "../outbox/queue";
import { MAX_ATTEMPTS, type DeliveryRow } from "./deliveries";
import type { EndpointRow } from "./endpoints";
import { DISABLE_AFTER_MS, DISABLE_MIN_FAILURES } from "./webhook-attempt";
import type { Preferences } from "./preferences";

/**
 * What must always hold of one person's notifications, whatever happened: checked after every
 * step of the model-based test (tests/notifications/model.test.ts) against the stored rows and
 * what the outside world received. Each returns the violations found, in words.
 */

export interface NotifySnapshot {
  notices: NoticeRow[];
  deliveries: DeliveryRow[];
  endpoints: EndpointRow[];
}

/** What the receivers saw: every webhook request (by endpoint and `webhook-id`), every email (by notice id). */
export interface Observed {
  webhooks: { endpointId: string; webhookId: string; type: string }[];
  emails: { noticeId: string }[];
  /**
   * Emails a crashed run may have sent without recording it: one per delivery it had in flight when
   * it died (the sum of those runs' concurrency).
   */
  unrecorded: number;
}

export async function readNotifySnapshot(userId: string): Promise<NotifySnapshot> {
  const rows = await queryAll<Record<string, unknown> & { sk: string }>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": notifyPk(userId) },
    ConsistentRead: true,
  });
  return {
    notices: rows.filter((r) => r.sk.startsWith(NOTICE_PREFIX)) as unknown as NoticeRow[],
    deliveries: rows.filter((r) => r.sk.startsWith(DELIVERY_PREFIX)) as unknown as DeliveryRow[],
    endpoints: rows.filter((r) => r.sk.startsWith(WEBHOOK_PREFIX)) as unknown as EndpointRow[],
  };
}

/** Always, even mid-crash. */
export function checkStored(s: NotifySnapshot): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of s.deliveries) {
    const id = `${d.noticeId} → ${d.target}`;
    if (seen.has(id)) problems.push(`two deliveries of ${id}`);
    seen.add(id);
    if (!s.notices.some((n) => n.notice.id === d.noticeId)) problems.push(`${id} has no notice`);
    if (d.category !== categoryOf(d.type)) problems.push(`${id} is filed under ${d.category}, not ${categoryOf(d.type)}`);
    const max = MAX_ATTEMPTS[d.channel] + 3;
    if (d.attempts > max) problems.push(`${id} was attempted ${d.attempts} times (at most ${max})`);
    const queued = d.GSI1PK !== undefined;
    if (queued !== (d.state === "pending" || d.state === "sending")) problems.push(`${id} is ${d.state} but ${queued ? "still" : "not"} in the work queue`);
    if (d.state === "sent" && !d.sentAt) problems.push(`${id} is sent without a time`);
    if (d.state === "skipped" && d.attempts > 0 && !d.error) problems.push(`${id} was skipped without a reason`);
  }
  for (const n of s.notices) {
    if (n.silent && n.GSI1PK) problems.push(`silent notice ${n.notice.id} is in the outbox`);
    if (n.expandedAt && n.GSI1PK) problems.push(`notice ${n.notice.id} is expanded and still in the outbox`);
  }
  for (const e of s.endpoints) {
    if (e.state === "disabled" && e.disabledReason && !e.disabledReason.startsWith("Disabled by you")) {
      const lasted = Date.parse(e.disabledAt ?? "") - Date.parse(e.failingSince ?? "");
      if (!((e.failures ?? 0) >= DISABLE_MIN_FAILURES && lasted >= DISABLE_AFTER_MS))
        problems.push(`endpoint ${e.endpointId} was disabled after ${e.failures ?? 0} failures over ${Math.round(lasted / 60_000)} min`);
    }
    if (e.state === "enabled" && e.disabledAt) problems.push(`enabled endpoint ${e.endpointId} still has a disabled time`);
  }
  return problems;
}

/** What was sent agrees with the log: nothing sent that isn't logged, nothing logged sent that wasn't, repeats only from crashes. */
export function checkObserved(s: NotifySnapshot, seen: Observed): string[] {
  const problems: string[] = [];
  const byHook = new Map<string, number>();
  for (const w of seen.webhooks) {
    const id = `${w.webhookId} → webhook:${w.endpointId}`;
    byHook.set(id, (byHook.get(id) ?? 0) + 1);
    if (!s.deliveries.some((d) => d.noticeId === w.webhookId && d.target === `webhook:${w.endpointId}`))
      problems.push(`${id} was received but has no delivery`);
  }
  const byMail = new Map<string, number>();
  for (const m of seen.emails) byMail.set(m.noticeId, (byMail.get(m.noticeId) ?? 0) + 1);
  for (const [noticeId] of byMail)
    if (!s.deliveries.some((d) => d.noticeId === noticeId && d.channel === "email")) problems.push(`an email for ${noticeId} was sent but has no delivery`);
  for (const d of s.deliveries) {
    const received = d.channel === "webhook" ? (byHook.get(`${d.noticeId} → ${d.target}`) ?? 0) : (byMail.get(d.noticeId) ?? 0);
    if (d.state === "sent" && received === 0) problems.push(`${d.noticeId} → ${d.target} is logged sent but never arrived`);
    if (d.state === "skipped" && received > 0 && d.attempts === 0) problems.push(`${d.noticeId} → ${d.target} was skipped yet arrived`);
    // A webhook is posted at most once per attempt (each is claimed first, crash or not); an email
    // once, plus once for each send a crash may have cut off between SES accepting it and the log.
    const allowed = d.channel === "webhook" ? d.attempts : (d.state === "sent" ? 1 : 0) + seen.unrecorded;
    if (received > allowed) problems.push(`${d.noticeId} → ${d.target} arrived ${received} times for ${d.attempts} attempts`);
  }
  return problems;
}

/** Once nothing is left to do (every retry's time passed, receivers healthy, runs finished). */
export function checkSettled(s: NotifySnapshot, prefsAt: (createdAt: string) => Preferences): string[] {
  const problems: string[] = [];
  for (const n of s.notices) if (n.GSI1PK) problems.push(`notice ${n.notice.id} was never expanded`);
  for (const d of s.deliveries) {
    if (d.state === "pending" || d.state === "sending") problems.push(`${d.noticeId} → ${d.target} is still ${d.state}`);
    // Made only for what the person wanted when it was made (test events go to their endpoint regardless).
    if (d.type !== "webhook.test" && d.state !== "skipped") {
      const wanted = prefsAt(d.createdAt)[d.channel][d.category];
      if (!wanted) problems.push(`${d.noticeId} → ${d.target} was made though ${d.channel} ${d.category} was off`);
    }
  }
  return problems;
}
