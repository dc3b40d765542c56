import { z } from "zod";
import { readCustomer, recordStatus, type MarketplaceStatus } from "../db/customers";
import { getItem, putItem } from "../db/items";
import { eventMarkerKey } from "../db/keys";
import { accountKey, cidKey } from "./customers";
import { applyStatusToUser } from "./lifecycle";
import { snsSignatureProblem } from "./sns-signature";

/**
 * AWS Marketplace lifecycle notifications — SNS messages (subscription and entitlement topics) and
 * EventBridge agreement/license events — reduced to one shape and applied idempotently:
 * a replayed MessageId is skipped, an event older than the newest applied one for that buyer only
 * gets recorded as seen, and an event for a buyer who hasn't registered yet waits on the buyer's
 * row until they do (lifecycle.ts activatePurchase reads it).
 */

export interface MarketplaceEvent {
  /** SNS MessageId or EventBridge event id: the dedupe key. */
  id: string;
  /** When AWS emitted it (SNS Timestamp, EventBridge time): orders events per buyer. */
  at: string;
  customerKey: string;
  productCode: string;
  /** undefined: nothing changes (entitlement updates). */
  status?: MarketplaceStatus;
  /** Agreement events name the agreement, so a renewal's old "Ended" can't end the new one. */
  agreementId?: string;
}

export type EventOutcome = "duplicate" | "stale" | "recorded" | "applied" | "unchanged";

const SNS_ACTIONS: Record<string, MarketplaceStatus | undefined> = {
  "subscribe-success": "subscribed",
  "subscribe-fail": "failed",
  "unsubscribe-pending": "unsubscribe-pending",
  "unsubscribe-success": "unsubscribed",
  "unsubscribe-complete": "unsubscribed", // older integrations
  "entitlement-updated": undefined,
};

const AGREEMENT_EVENTS: Record<string, MarketplaceStatus | undefined> = {
  "Purchase Agreement Created - Manufacturer": "subscribed",
  "Purchase Agreement Amended - Manufacturer": "subscribed",
  "Purchase Agreement Ended - Manufacturer": "unsubscribed",
  "License Deprovisioned - Manufacturer": "unsubscribed",
  "License Updated - Manufacturer": undefined,
};

const token = z.string().regex(/^[\w.:-]{1,128}$/);
const iso = z.iso.datetime({ offset: true });

const snsRecord = z.object({
  Sns: z.object({
    Type: z.literal("Notification"),
    MessageId: z.string().min(1).max(128),
    TopicArn: z.string().min(1),
    Subject: z.string().nullish(),
    Message: z.string().max(10_000),
    Timestamp: iso,
    SignatureVersion: z.enum(["1", "2"]),
    Signature: z.base64().min(1).max(2048),
    SigningCertUrl: z.string().min(1).max(2048),
  }),
});
/** AWS Marketplace names each product's topics after its product code. */
const PRODUCT_TOPIC = /^arn:[\w-]+:sns:[\w-]+:\d{12}:aws-mp-(?:subscription|entitlement)-notification-(.+)$/;
const snsMessage = z.object({
  action: z.enum(Object.keys(SNS_ACTIONS) as [string, ...string[]]),
  "customer-identifier": token,
  "product-code": token,
});

const agreementEvent = z.object({
  id: z.string().min(1).max(128),
  source: z.literal("aws.agreement-marketplace"),
  "detail-type": z.enum(Object.keys(AGREEMENT_EVENTS) as [string, ...string[]]),
  time: iso,
  detail: z.record(z.string(), z.unknown()),
});

/** Why a message was not applied; says which fields were wrong, never what they held. */
export class RejectedEvent extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "RejectedEvent";
  }
}

const problems = (error: z.ZodError) => error.issues.map((i) => i.path.join(".") || "(root)").join(", ");

/**
 * An SNS record from a configured Marketplace topic, signed by SNS, about that topic's product;
 * anything else is rejected. Throws (not RejectedEvent) when the signature can't be checked right now.
 */
export async function fromSnsRecord(record: unknown, allowedTopics: readonly string[]): Promise<MarketplaceEvent> {
  const parsed = snsRecord.safeParse(record);
  if (!parsed.success) throw new RejectedEvent(`not an SNS record (${problems(parsed.error)})`);
  const sns = parsed.data.Sns;
  if (!allowedTopics.includes(sns.TopicArn)) throw new RejectedEvent("topic is not a configured AWS Marketplace topic");
  const signatureProblem = await snsSignatureProblem(sns);
  if (signatureProblem) throw new RejectedEvent(signatureProblem);
  let body: unknown;
  try {
    body = JSON.parse(sns.Message);
  } catch {
    throw new RejectedEvent("message is not JSON");
  }
  const message = snsMessage.safeParse(body);
  if (!message.success) throw new RejectedEvent(`message fields invalid (${problems(message.error)})`);
  const productCode = message.data["product-code"];
  if (PRODUCT_TOPIC.exec(sns.TopicArn)?.[1] !== productCode) throw new RejectedEvent("product-code is not the product of the topic");
  return {
    id: sns.MessageId,
    at: new Date(sns.Timestamp).toISOString(),
    customerKey: cidKey(message.data["customer-identifier"]),
    productCode,
    status: SNS_ACTIONS[message.data.action],
  };
}

/** Reads a path of nested objects, tolerating the shapes AWS documents for these events. */
function pick(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path) current = current && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  return typeof current === "string" ? current : undefined;
}

/** An EventBridge agreement or license event (source aws.agreement-marketplace). */
export function fromAgreementEvent(event: unknown): MarketplaceEvent {
  const parsed = agreementEvent.safeParse(event);
  if (!parsed.success) throw new RejectedEvent(`not an agreement event (${problems(parsed.error)})`);
  const { id, time, detail } = parsed.data;
  const accountId =
    pick(detail, "agreement", "acceptor", "accountId") ?? pick(detail, "acceptor", "accountId") ?? pick(detail, "license", "beneficiary", "accountId");
  const productCode = pick(detail, "product", "code") ?? pick(detail, "productCode") ?? pick(detail, "license", "productCode");
  if (!accountId || !/^\d{12}$/.test(accountId) || !productCode || !token.safeParse(productCode).success) {
    throw new RejectedEvent("event names no buyer account and product code");
  }
  const agreementId = pick(detail, "agreement", "id");
  return {
    id,
    at: new Date(time).toISOString(),
    customerKey: accountKey(accountId, productCode),
    productCode,
    status: AGREEMENT_EVENTS[parsed.data["detail-type"]],
    ...(agreementId ? { agreementId } : {}),
  };
}

const EVENT_RETENTION_SECONDS = 30 * 86_400;

/**
 * Applies one event. The "seen" marker is written last, so a failure part-way (API Gateway busy)
 * lets AWS's redelivery try again; every step before it is safe to repeat.
 */
export async function applyMarketplaceEvent(event: MarketplaceEvent): Promise<EventOutcome> {
  if (await getItem(eventMarkerKey(event.id), { projection: "pk" })) return "duplicate";
  let outcome: EventOutcome = "recorded";
  if (event.status) {
    const recorded = await recordStatus(event.customerKey, event.productCode, event.status, event.at, event.agreementId);
    // A redelivery of the newest event (same time) still applies it: the first attempt may have
    // recorded it and then failed part-way. An older event leaves the newer one's delivery to act.
    const row = recorded ?? (await readCustomer(event.customerKey));
    const current = !!recorded || row?.lastEventAt === event.at;
    const applied = current && row?.userId && row.planId ? await applyStatusToUser(row.userId, row.planId, event.at) : undefined;
    outcome = applied === "changed" ? "applied" : !recorded || applied === "superseded" ? "stale" : applied === "unchanged" ? "unchanged" : "recorded";
  }
  await putItem({ ...eventMarkerKey(event.id), at: event.at, outcome, expires: Math.floor(Date.now() / 1000) + EVENT_RETENTION_SECONDS });
  return outcome;
}
