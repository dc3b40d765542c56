import { randomUUID } from "node:crypto";
import { getItem } from "../db/items";
import { noticeKey } from "../db/keys";
import { AppError } from "../errors";
import type { Notice } from "../outbox/events";
import { markExpanded, queueNotice, type NoticeRow } from "../outbox/queue";
import { attemptClaimed, deliveryRowKey, deliveryView, type DeliveryRow, type DeliveryView } from "./deliveries";
import { getEndpointRow } from "./endpoints";
import { expandNotice } from "./expand";
import { attemptWebhook } from "./webhook-attempt";

/**
 * "Send test event": queued like any notice (so it is in the log, and retried like the rest if the
 * endpoint fails), then expanded and attempted at once, so the person sees the endpoint's answer
 * without waiting for the notifier. Webhook only: the web server never sends email.
 */
export async function sendTestEvent(user: { id: string }, endpointId: string): Promise<DeliveryView> {
  await getEndpointRow(user.id, endpointId); // 404 for someone else's or a deleted endpoint
  const now = new Date();
  const notice: Notice = { id: `test-${randomUUID()}`, type: "webhook.test", userId: user.id, at: now.toISOString(), data: { endpointId } };
  await queueNotice(notice, { now });
  const row = await getItem<NoticeRow>(noticeKey(user.id, notice.id), { consistent: true });
  if (row?.GSI1PK) {
    await expandNotice(notice, now);
    await markExpanded(row, now);
  }
  const key = deliveryRowKey(notice, `webhook:${endpointId}`);
  const delivery = await getItem<DeliveryRow>(key, { consistent: true });
  if (!delivery) throw new AppError("not_found", "No such webhook endpoint.");
  await attemptClaimed(delivery, now, (claimed, attempt) => attemptWebhook(claimed, attempt, now));
  return deliveryView((await getItem<DeliveryRow>(key, { consistent: true })) ?? delivery);
}
