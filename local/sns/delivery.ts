import { setTimeout as sleep } from "node:timers/promises";
import type { SandboxContext } from "../context";
import { functionExists, invokeFunction } from "../functions";
import { createSnsSigner, type SignatureVersion, type SnsSigner } from "./signing";
import type { Subscription } from "./store";

export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** `default` plus, for `MessageStructure=json`, per-protocol overrides. */
  messages: { default: string } & Record<string, string>;
  timestamp: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
  /** The topic's SignatureVersion attribute when it was published. */
  signatureVersion: SignatureVersion;
}

export interface DeliveryOutcome {
  messageId: string;
  subscriptionArn: string;
  protocol: Subscription["protocol"];
  attempts: number;
  ok: boolean;
  error?: string;
}

// Lambda retries a failed async invocation twice; SNS's default HTTP policy retries three times.
// The sandbox keeps those counts but compresses the waits so tests and rehearsals stay quick.
const MAX_ATTEMPTS: Record<Subscription["protocol"], number> = { lambda: 3, http: 4, https: 4 };
const RETRY_BASE_MS = 50;
const HTTP_TIMEOUT_MS = 15_000;
const LAMBDA_TIMEOUT_MS = 30_000;
const KEPT_OUTCOMES = 1_000;

const LAMBDA_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]{1,128})?$/;

/** The function name in a Lambda ARN (the name maps to `functions/<name>.ts`), or undefined. */
export function lambdaFunctionName(arn: string): string | undefined {
  return LAMBDA_ARN.exec(arn)?.[1];
}

/**
 * Delivers published messages after Publish has answered, like SNS: at least once, retrying a
 * failed delivery with the same MessageId. `drain()` lets tests wait for everything in flight.
 */
export class Deliveries {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly outcomes: DeliveryOutcome[] = [];
  private readonly closing = new AbortController();
  private signer?: SnsSigner;

  constructor(private readonly ctx: SandboxContext) {}

  /** Made on first use: generating the key takes a moment, and most sandboxes in tests never deliver. */
  get signing(): SnsSigner {
    this.signer ??= createSnsSigner();
    return this.signer;
  }

  /** Where receivers fetch the signing certificate: the sandbox's edge, which serves it as SNS serves its own. */
  get signingCertUrl(): string {
    return `${this.ctx.url}/_sandbox/sns/${this.signing.fileName}`;
  }

  dispatch(notification: Notification, subscriptions: Subscription[]): void {
    for (const subscription of subscriptions) {
      const delivery: Promise<void> = this.deliver(notification, subscription)
        .then((outcome) => {
          this.outcomes.push(outcome);
          if (this.outcomes.length > KEPT_OUTCOMES) this.outcomes.shift();
        })
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  /** Resolves when no delivery (retries included) is in flight; returns the outcomes since the last drain. */
  async drain(): Promise<DeliveryOutcome[]> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    return this.outcomes.splice(0);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.drain();
  }

  private async deliver(notification: Notification, subscription: Subscription): Promise<DeliveryOutcome> {
    const maxAttempts = MAX_ATTEMPTS[subscription.protocol];
    const outcome = { messageId: notification.messageId, subscriptionArn: subscription.arn, protocol: subscription.protocol };
    let error = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        const stopped = await sleep(RETRY_BASE_MS * 2 ** (attempt - 2), false, { signal: this.closing.signal }).catch(() => true);
        if (stopped) return { ...outcome, attempts: attempt - 1, ok: false, error };
      }
      try {
        if (subscription.protocol === "lambda") await this.invokeLambda(notification, subscription);
        else await this.postHttp(notification, subscription);
        return { ...outcome, attempts: attempt, ok: true };
      } catch (caught) {
        // Only the error message: message bodies may carry customer data.
        error = caught instanceof Error ? caught.message : String(caught);
        this.ctx.log(`sns: delivery of ${notification.messageId} to ${subscription.arn} failed (attempt ${attempt}/${maxAttempts}): ${error}`);
      }
    }
    return { ...outcome, attempts: maxAttempts, ok: false, error };
  }

  /** Calls `handler(event, context)` of `functions/<name>.ts` in-process, with the SNS → Lambda event shape. */
  private async invokeLambda(notification: Notification, subscription: Subscription): Promise<void> {
    const name = lambdaFunctionName(subscription.endpoint);
    const message = notification.messages.lambda ?? notification.messages.default;
    if (!name || !functionExists(this.ctx, name)) throw new Error(`Function not found: ${subscription.endpoint} (expected functions/${name}.ts)`);
    const event = {
      Records: [
        {
          EventSource: "aws:sns",
          EventVersion: "1.0",
          EventSubscriptionArn: subscription.arn,
          Sns: {
            Type: "Notification",
            MessageId: notification.messageId,
            TopicArn: notification.topicArn,
            Subject: notification.subject ?? null,
            Message: message,
            Timestamp: notification.timestamp,
            SignatureVersion: notification.signatureVersion,
            Signature: this.signature(notification, message),
            SigningCertUrl: this.signingCertUrl,
            UnsubscribeUrl: this.unsubscribeUrl(subscription.arn),
            MessageAttributes: notification.messageAttributes,
          },
        },
      ],
    };
    // A handler that never settles times out and counts as a failed attempt, so drain() cannot hang.
    await invokeFunction(this.ctx, name, event, { timeoutMs: LAMBDA_TIMEOUT_MS, invokedFunctionArn: subscription.endpoint });
  }

  /**
   * POSTs the SNS HTTP notification. Real SNS first sends a SubscriptionConfirmation and waits for
   * the endpoint to visit SubscribeURL; the sandbox auto-confirms, so only Notifications arrive.
   */
  private async postHttp(notification: Notification, subscription: Subscription): Promise<void> {
    const message = notification.messages[subscription.protocol] ?? notification.messages.default;
    const body = JSON.stringify({
      Type: "Notification",
      MessageId: notification.messageId,
      TopicArn: notification.topicArn,
      ...(notification.subject === undefined ? {} : { Subject: notification.subject }),
      Message: message,
      Timestamp: notification.timestamp,
      SignatureVersion: notification.signatureVersion,
      Signature: this.signature(notification, message),
      SigningCertURL: this.signingCertUrl,
      UnsubscribeURL: this.unsubscribeUrl(subscription.arn),
      ...(Object.keys(notification.messageAttributes).length > 0 ? { MessageAttributes: notification.messageAttributes } : {}),
    });
    const response = await fetch(subscription.endpoint, {
      method: "POST",
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        "user-agent": "Amazon Simple Notification Service Agent",
        "x-amz-sns-message-type": "Notification",
        "x-amz-sns-message-id": notification.messageId,
        "x-amz-sns-topic-arn": notification.topicArn,
        "x-amz-sns-subscription-arn": subscription.arn,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`Endpoint answered HTTP ${response.status}`);
  }

  /** Signed as SNS signs a Notification, with the sandbox's key (its certificate is at signingCertUrl, not on an SNS host). */
  private signature(notification: Notification, message: string): string {
    const { messageId, topicArn, subject, timestamp, signatureVersion } = notification;
    return this.signing.sign(
      { Type: "Notification", MessageId: messageId, TopicArn: topicArn, Subject: subject, Message: message, Timestamp: timestamp },
      signatureVersion,
    );
  }

  private unsubscribeUrl(subscriptionArn: string): string {
    return `${this.ctx.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
  }
}
