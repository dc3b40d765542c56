import type { SandboxContext } from "../context";
import { domainOf } from "./addresses";
import type { EVENT_TYPES, SesStore, StoredMessage } from "./store";

type EventType = (typeof EVENT_TYPES)[number];

/** What SES reports about one message, in its event-publishing JSON (docs: "Contents of event data that Amazon SES publishes to Amazon SNS"). */
export type SesEvent =
  | { type: "SEND" }
  | { type: "DELIVERY"; recipients: string[] }
  | { type: "BOUNCE"; recipients: string[]; subType: "General" | "Suppressed" | "OnAccountSuppressionList" }
  | { type: "COMPLAINT"; recipients: string[] };

const EVENT_NAMES: Record<SesEvent["type"], string> = { SEND: "Send", DELIVERY: "Delivery", BOUNCE: "Bounce", COMPLAINT: "Complaint" };

const BOUNCE_DIAGNOSTIC: Record<Extract<SesEvent, { type: "BOUNCE" }>["subType"], string> = {
  General: "smtp; 550 5.1.1 user unknown",
  Suppressed: "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
  OnAccountSuppressionList: "Amazon SES did not send the message to this address because it is on the suppression list for your account.",
};

/** A feedback id shaped like SES's (`0100…-…-000000`). */
const feedbackId = () => `0100${Date.now().toString(16).padStart(12, "0")}-${crypto.randomUUID()}-000000`;

/** The `mail` object every event carries: the message's headers, common headers and tags. */
function mailObject(ctx: SandboxContext, message: StoredMessage): Record<string, unknown> {
  const fromAddress = /<([^>]*)>\s*$/.exec(message.from)?.[1] ?? message.from;
  const tags: Record<string, string[]> = {
    ...(message.configurationSet ? { "ses:configuration-set": [message.configurationSet] } : {}),
    "ses:source-ip": ["127.0.0.1"],
    "ses:from-domain": [domainOf(fromAddress)],
    "ses:caller-identity": ["sandbox"],
  };
  for (const tag of message.tags) tags[tag.name] = [tag.value];
  return {
    timestamp: message.timestamp,
    source: message.from,
    sourceArn: `arn:aws:ses:${ctx.region}:${ctx.accountId}:identity/${domainOf(fromAddress)}`,
    sendingAccountId: ctx.accountId,
    messageId: message.messageId,
    destination: Object.keys(message.outcomes),
    headersTruncated: false,
    headers: message.headers,
    commonHeaders: {
      from: [message.from],
      ...(message.replyTo.length ? { replyTo: message.replyTo } : {}),
      ...(message.to.length ? { to: message.to } : {}),
      ...(message.cc.length ? { cc: message.cc } : {}),
      messageId: message.messageId,
      subject: message.subject,
    },
    tags,
  };
}

function eventObject(event: SesEvent, at: string): Record<string, unknown> {
  switch (event.type) {
    case "SEND":
      return { send: {} };
    case "DELIVERY":
      return {
        delivery: {
          timestamp: at,
          processingTimeMillis: 0,
          recipients: event.recipients,
          smtpResponse: "250 2.6.0 Message received",
          reportingMTA: "sandbox.amazonses.com",
        },
      };
    case "BOUNCE":
      return {
        bounce: {
          feedbackId: feedbackId(),
          bounceType: "Permanent",
          bounceSubType: event.subType,
          bouncedRecipients: event.recipients.map((emailAddress) => ({
            emailAddress,
            action: "failed",
            status: "5.1.1",
            diagnosticCode: BOUNCE_DIAGNOSTIC[event.subType],
          })),
          timestamp: at,
          reportingMTA: "dns; sandbox.amazonses.com",
        },
      };
    case "COMPLAINT":
      return {
        complaint: {
          feedbackId: feedbackId(),
          complainedRecipients: event.recipients.map((emailAddress) => ({ emailAddress })),
          timestamp: at,
          userAgent: "Amazon SES Mailbox Simulator",
          complaintFeedbackType: "abuse",
          arrivalDate: at,
        },
      };
  }
}

/** The event record as SES publishes it: `{ eventType, mail, bounce | complaint | delivery | send }`. */
export function eventRecord(ctx: SandboxContext, message: StoredMessage, event: SesEvent, at = new Date().toISOString()): Record<string, unknown> {
  return { eventType: EVENT_NAMES[event.type], mail: mailObject(ctx, message), ...eventObject(event, at) };
}

/**
 * Records the events of one message and publishes each to the SNS topics of its configuration
 * set's enabled event destinations that match it, through the sandbox's own SNS (a Publish over the
 * edge, as SES itself would call SNS). Awaited before SendEmail answers, so that once a send returns
 * its notifications are in SNS (`POST /_sandbox/sns/drain` then waits for their deliveries).
 */
export async function publishEvents(ctx: SandboxContext, store: SesStore, message: StoredMessage, events: SesEvent[]): Promise<void> {
  const destinations = message.configurationSet ? (store.configurationSet(message.configurationSet)?.eventDestinations ?? []) : [];
  for (const event of events) {
    const record = eventRecord(ctx, message, event);
    const topics = destinations.filter((d) => d.enabled && d.snsTopicArn && d.matchingEventTypes.includes(event.type as EventType)).map((d) => d.snsTopicArn!);
    const publishedTo: string[] = [];
    for (const topicArn of [...new Set(topics)]) {
      if (await publishToSns(ctx, topicArn, JSON.stringify(record))) publishedTo.push(topicArn);
    }
    store.addEvent({
      id: crypto.randomUUID(),
      eventType: EVENT_NAMES[event.type],
      timestamp: new Date().toISOString(),
      messageId: message.messageId,
      ...(message.configurationSet ? { configurationSet: message.configurationSet } : {}),
      publishedTo,
      record,
    });
  }
}

async function publishToSns(ctx: SandboxContext, topicArn: string, message: string): Promise<boolean> {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  try {
    const response = await fetch(ctx.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        // The edge routes by the credential scope's service; the sandbox checks no signature.
        authorization: `AWS4-HMAC-SHA256 Credential=ses-sandbox/${day}/${ctx.region}/sns/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams({
        Action: "Publish",
        Version: "2010-03-31",
        TopicArn: topicArn,
        Subject: "Amazon SES Email Event Notification",
        Message: message,
      }),
    });
    await response.arrayBuffer();
    if (!response.ok) ctx.log(`ses: publishing an event to ${topicArn} failed with HTTP ${response.status}`);
    return response.ok;
  } catch (error) {
    ctx.log(`ses: publishing an event to ${topicArn} failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
