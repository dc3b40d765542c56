import { conditionally, isConditionFailure, rowExists, updateItem } from "../db/items";
import { queueNotice } from "../outbox/queue";
import { deliverWebhook } from "../webhooks/deliver";
import type { DeliveryRow, Outcome } from "./deliveries";
import { getEndpointRowIfAny, signingSecrets, type EndpointRow } from "./endpoints";

/** Webhook attempts and the wait before each (Standard Webhooks' suggested schedule, from a 1-minute job): 27 h 36 min in all. */
export const WEBHOOK_BACKOFF_MS = [0, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
/** An endpoint that has failed every attempt for this long (and at least DISABLE_MIN_FAILURES times) is disabled. */
export const DISABLE_AFTER_MS = 24 * 3_600_000;
export const DISABLE_MIN_FAILURES = 5;

/** Retry after the schedule's next wait, or fail for good when it has none (or the error is permanent). */
export function retryOrFail(error: string, schedule: number[], attempt: number, now: Date, retryable: boolean): Outcome {
  const wait = schedule[attempt];
  if (!retryable || wait === undefined) return { result: "failed", error };
  return { result: "retry", dueAt: new Date(now.getTime() + wait), error };
}

/** One POST of a claimed webhook delivery, signed with the endpoint's current secrets; `disabled` when this failure switched the endpoint off. */
export async function attemptWebhook(delivery: DeliveryRow, attempt: number, now: Date): Promise<Outcome & { disabled?: boolean }> {
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
  const disabled = await recordEndpointHealth(endpoint, result.ok, status ?? result.error ?? "failed", now);
  const answer = { ...(status ? { status } : {}), ...(result.response ? { response: result.response } : {}) };
  if (result.ok) return { result: "sent", ...answer };
  return { ...retryOrFail(result.error ?? `HTTP ${status}`, WEBHOOK_BACKOFF_MS, attempt, now, true), ...answer, disabled };
}

/**
 * After each attempt: a success clears the endpoint's failure run; a failure extends it, and one
 * that has lasted DISABLE_AFTER_MS disables the endpoint and tells its owner by email. True when it did.
 */
async function recordEndpointHealth(endpoint: EndpointRow, ok: boolean, status: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  // A disabled endpoint still answers test events; its failure record stays until its owner switches it back on.
  if (ok && endpoint.state === "disabled") {
    await conditionally(
      updateItem(endpoint, { expression: "SET lastStatus = :s, lastDeliveryAt = :at", values: { ":s": status, ":at": at } }, { condition: rowExists }),
    );
    return false;
  }
  if (ok) {
    await conditionally(
      updateItem(
        endpoint,
        {
          expression: "SET lastStatus = :s, lastDeliveryAt = :at REMOVE failingSince, #failures",
          names: { "#failures": "failures" },
          values: { ":s": status, ":at": at },
        },
        { condition: rowExists },
      ),
    );
    return false;
  }
  // Conditional throughout: an endpoint deleted while a delivery to it was in flight stays deleted.
  let updated: EndpointRow;
  try {
    updated = await updateItem<EndpointRow>(
      endpoint,
      {
        expression:
          "SET lastStatus = :s, lastDeliveryAt = :at, failingSince = if_not_exists(failingSince, :at), #failures = if_not_exists(#failures, :zero) + :one",
        names: { "#failures": "failures" },
        values: { ":s": status, ":at": at, ":zero": 0, ":one": 1 },
      },
      { returnNew: true, condition: rowExists },
    );
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
  const since = updated.failingSince ?? at;
  if (updated.state !== "enabled" || (updated.failures ?? 0) < DISABLE_MIN_FAILURES || now.getTime() - Date.parse(since) < DISABLE_AFTER_MS) return false;
  const disabled = await conditionally(
    updateItem(
      endpoint,
      {
        expression: "SET #state = :disabled, disabledAt = :at, disabledReason = :why",
        names: { "#state": "state" },
        values: { ":disabled": "disabled", ":at": at, ":why": `Every delivery failed for over a day (last: ${status}).` },
      },
      { condition: rowExists },
    ),
  );
  if (!disabled) return false;
  await queueNotice({
    id: `webhook-disabled:${endpoint.endpointId}:${since}`,
    type: "webhook.disabled",
    userId: endpoint.userId,
    at,
    data: { endpointId: endpoint.endpointId, url: endpoint.url, failingSince: since, lastStatus: status },
  });
  return true;
}
