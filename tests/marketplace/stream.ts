import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSnsSigner, type SignatureVersion, type SnsSigner } from "../../local/sns/signing";

/**
 * AWS Marketplace notifications as the listener receives them, and generated streams of them:
 * shared by tests/marketplace/listener.test.ts and `npm run bench -- marketplace`. No test runner
 * here, and nothing from lib/: what each action should do to a buyer is written out independently.
 */

export const PRODUCT_CODE = "portico-pro-sandbox";
/** The account AWS Marketplace publishes from, as in its documentation's topic ARNs. */
const MARKETPLACE_ACCOUNT = "287250355862";
export const SUBSCRIPTION_TOPIC = `arn:aws:sns:us-east-1:${MARKETPLACE_ACCOUNT}:aws-mp-subscription-notification-${PRODUCT_CODE}`;
export const ENTITLEMENT_TOPIC = `arn:aws:sns:us-east-1:${MARKETPLACE_ACCOUNT}:aws-mp-entitlement-notification-${PRODUCT_CODE}`;
/** What MARKETPLACE_TOPIC_ARNS holds for the sandbox's Pro product. */
export const TOPIC_ARNS = [SUBSCRIPTION_TOPIC, ENTITLEMENT_TOPIC].join(",");

export type SnsAction = "subscribe-success" | "subscribe-fail" | "unsubscribe-pending" | "unsubscribe-success" | "unsubscribe-complete" | "entitlement-updated";

/** How a buyer's portal subscription should look after an action (undefined: the action changes nothing). */
export interface Expected {
  state: "active" | "failed" | "ended";
  /** The key is in the plan (API Gateway lets it call the metered API). */
  inPlan: boolean;
  /** What the dashboard tells the user: cancellation pending in AWS Marketplace, or the purchase failed. */
  notice?: "cancellation" | "failure";
  /** The status the buyer's customer row records (lib/marketplace/customers.ts). */
  status: "subscribed" | "failed" | "unsubscribe-pending" | "unsubscribed";
}

export const EXPECTED: Record<SnsAction, Expected | undefined> = {
  "subscribe-success": { state: "active", inPlan: true, status: "subscribed" },
  "subscribe-fail": { state: "failed", inPlan: false, notice: "failure", status: "failed" },
  "unsubscribe-pending": { state: "active", inPlan: true, notice: "cancellation", status: "unsubscribe-pending" },
  "unsubscribe-success": { state: "ended", inPlan: false, status: "unsubscribed" },
  "unsubscribe-complete": { state: "ended", inPlan: false, status: "unsubscribed" },
  "entitlement-updated": undefined,
};

/** Which kind of notice a subscription's text is (the wording is the portal's; the kind is what matters). */
export function noticeKind(notice: string | undefined): Expected["notice"] | "other" {
  if (notice === undefined) return undefined;
  if (/cancel/i.test(notice)) return "cancellation";
  if (/couldn.t complete|fail/i.test(notice)) return "failure";
  return "other";
}

/** A small seeded PRNG (mulberry32), so a failing stream can be generated again from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Identifiers shaped like AWS's (e.g. `X01EXAMPLEX`): 11 letters and digits. */
export function customerIdentifiers(count: number, seed: number): string[] {
  const rand = random(seed);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const ids = new Set<string>();
  while (ids.size < count) ids.add(Array.from({ length: 11 }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
  return [...ids];
}

export interface StreamEvent {
  messageId: string;
  customerIdentifier: string;
  action: SnsAction;
  /** SNS Timestamp (ISO, ms): strictly increasing per customer. */
  timestamp: string;
}

export interface Delivery {
  event: StreamEvent;
  /** A second (or later) delivery of the same MessageId. */
  redelivery: boolean;
}

export interface Stream {
  /** Every distinct message, per customer in time order. */
  unique: StreamEvent[];
  /** The order they are delivered in: shuffled, duplicates included (some right next to their original). */
  deliveries: Delivery[];
  /** Each customer's newest event that carries a status (entitlement updates don't): what the end state must be. */
  last: Map<string, StreamEvent>;
}

const ACTION_WEIGHTS: [SnsAction, number][] = [
  ["subscribe-success", 30],
  ["unsubscribe-pending", 15],
  ["unsubscribe-success", 22],
  ["unsubscribe-complete", 5],
  ["subscribe-fail", 15],
  ["entitlement-updated", 13],
];

function pickAction(rand: () => number): SnsAction {
  const total = ACTION_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let roll = rand() * total;
  for (const [action, weight] of ACTION_WEIGHTS) if ((roll -= weight) < 0) return action;
  return "subscribe-success";
}

/**
 * `total` deliveries for `customers`, `duplicateShare` of them redeliveries of an earlier MessageId,
 * in shuffled order. A quarter of the redeliveries follow their original directly, so a concurrent
 * consumer has both in flight at once. `finalAction` forces some customers' newest event.
 */
export function generateStream(options: {
  customers: string[];
  total: number;
  duplicateShare: number;
  seed: number;
  finalAction?: Map<string, SnsAction>;
  /** Epoch ms of the first event (default: two days ago). */
  start?: number;
  /** Between one customer's consecutive events (default a minute; more than the number of customers, in ms). */
  spacingMs?: number;
}): Stream {
  const rand = random(options.seed);
  const start = options.start ?? Date.now() - 2 * 86_400_000;
  const spacing = Math.max(options.spacingMs ?? 60_000, options.customers.length + 1);
  const uniqueCount = Math.round(options.total * (1 - options.duplicateShare));
  const perCustomer = options.customers.map(
    (_, i) => Math.floor(uniqueCount / options.customers.length) + (i < uniqueCount % options.customers.length ? 1 : 0),
  );
  const unique: StreamEvent[] = [];
  const last = new Map<string, StreamEvent>();
  options.customers.forEach((customerIdentifier, c) => {
    const count = perCustomer[c]!;
    for (let k = 0; k < count; k++) {
      const forced = k === count - 1 ? options.finalAction?.get(customerIdentifier) : undefined;
      // `spacing` apart per customer, offset by the customer's index: strictly increasing, never equal across customers.
      const event: StreamEvent = {
        messageId: uuid(rand),
        customerIdentifier,
        action: forced ?? pickAction(rand),
        timestamp: new Date(start + k * spacing + c).toISOString(),
      };
      unique.push(event);
      if (EXPECTED[event.action]) last.set(customerIdentifier, event);
    }
  });

  const keyed: { key: number; delivery: Delivery }[] = unique.map((event) => ({ key: rand(), delivery: { event, redelivery: false } }));
  const originals = keyed.slice();
  for (let i = 0; i < options.total - uniqueCount; i++) {
    const original = originals[Math.floor(rand() * originals.length)]!;
    const nextToOriginal = rand() < 0.25;
    keyed.push({ key: nextToOriginal ? original.key + 1e-12 * (i + 1) : rand(), delivery: { event: original.delivery.event, redelivery: true } });
  }
  keyed.sort((a, b) => a.key - b.key);
  // Whichever copy comes first is the original delivery; the rest are redeliveries.
  const seen = new Set<string>();
  const deliveries = keyed.map(({ delivery }) => {
    const redelivery = seen.has(delivery.event.messageId);
    seen.add(delivery.event.messageId);
    return { event: delivery.event, redelivery };
  });
  return { unique, deliveries, last };
}

let signing: { signer: SnsSigner; certUrl: string } | undefined;

/**
 * Signs the events snsLambdaEvent makes from now on, as SNS signs them, with a fresh key whose
 * certificate a loopback server serves (as the local sandbox does). The listener trusts it once
 * AWS_ENDPOINT_URL_SNS is the returned origin (the SNS endpoint it is configured with).
 */
export async function startSnsSigning(): Promise<{ origin: string; signer: SnsSigner; certUrl: string; close(): Promise<void> }> {
  const signer = createSnsSigner();
  const server = createServer((req, res) => {
    if (req.url === `/${signer.fileName}`) res.writeHead(200, { "content-type": "application/x-x509-ca-cert" }).end(signer.certificate);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const certUrl = `${origin}/${signer.fileName}`;
  signing = { signer, certUrl };
  return { origin, signer, certUrl, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The SNS → Lambda event AWS sends for one notification (one record per invocation), signed (see startSnsSigning). */
export function snsLambdaEvent(input: { messageId: string; topicArn: string; message: string; timestamp: string; signatureVersion?: SignatureVersion }) {
  if (!signing) throw new Error("call startSnsSigning() before making SNS events");
  const signatureVersion = input.signatureVersion ?? "1";
  const signed = { Type: "Notification", MessageId: input.messageId, TopicArn: input.topicArn, Message: input.message, Timestamp: input.timestamp };
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${input.topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: "Notification",
          MessageId: input.messageId,
          TopicArn: input.topicArn,
          Subject: null,
          Message: input.message,
          Timestamp: input.timestamp,
          SignatureVersion: signatureVersion,
          Signature: signing.signer.sign(signed, signatureVersion),
          SigningCertUrl: signing.certUrl,
          UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(input.topicArn)}`,
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** A Marketplace notification as AWS publishes it (the message body, stringified). */
export function marketplaceMessage(action: SnsAction, customerIdentifier: string, productCode = PRODUCT_CODE): string {
  return JSON.stringify({
    action,
    "customer-identifier": customerIdentifier,
    "product-code": productCode,
    ...(action.startsWith("subscribe-") ? { "offer-identifier": "offer-abcexample123" } : {}),
    ...(action === "entitlement-updated" ? {} : { isFreeTrialTermPresent: "false" }),
  });
}

export function snsEventFor(event: StreamEvent) {
  return snsLambdaEvent({
    messageId: event.messageId,
    topicArn: event.action === "entitlement-updated" ? ENTITLEMENT_TOPIC : SUBSCRIPTION_TOPIC,
    message: marketplaceMessage(event.action, event.customerIdentifier),
    timestamp: event.timestamp,
  });
}

export type AgreementDetailType =
  | "Purchase Agreement Created - Manufacturer"
  | "Purchase Agreement Amended - Manufacturer"
  | "Purchase Agreement Ended - Manufacturer"
  | "License Deprovisioned - Manufacturer"
  | "License Updated - Manufacturer";

/** An EventBridge event from source aws.agreement-marketplace, in the shape AWS documents. */
export function agreementEvent(input: { id: string; detailType: AgreementDetailType; time: string; accountId: string; productCode?: string }) {
  return {
    version: "0",
    id: input.id,
    "detail-type": input.detailType,
    source: "aws.agreement-marketplace",
    account: "111122223333",
    time: input.time,
    region: "us-east-1",
    resources: ["arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/Agreement/agmt-1111111111111111111111111"],
    detail: {
      requestId: "7b2fa0c0-2c6f-4b41-9c5e-0b2b8f8a3c11",
      agreement: {
        id: "agmt-1111111111111111111111111",
        proposer: { accountId: "111122223333" },
        acceptor: { accountId: input.accountId },
        offer: { id: "offer-1111111111111" },
        startTime: input.time,
        endTime: "2030-01-01T00:00:00Z",
        acceptanceTime: input.time,
        intent: "NEW",
        status: input.detailType.includes("Ended") ? "EXPIRED" : "ACTIVE",
      },
      product: { id: "prod-1111111111111", code: input.productCode ?? PRODUCT_CODE, title: "Portico Pro" },
    },
  };
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of `items`; collects every failure. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<unknown[]> {
  let next = 0;
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        try {
          await fn(items[index]!, index);
        } catch (error) {
          failures.push(error);
        }
      }
    }),
  );
  return failures;
}
