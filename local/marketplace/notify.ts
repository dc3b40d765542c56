import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { z } from "zod";
import { SANDBOX_CREDENTIALS, type SandboxContext } from "../context";
import type { Customer } from "./ledger";

export const NOTIFICATION_ACTIONS = [
  "subscribe-success",
  "subscribe-fail",
  "unsubscribe-pending",
  "unsubscribe-success",
  "unsubscribe-complete",
  "entitlement-updated",
] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

export const productCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, "A product code is 1–128 letters, digits, '-' or '_'");

export const customerIdentifierSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "A customer identifier is 1–64 letters, digits, '-' or '_'");

/** `POST /_sandbox/marketplace/notify` as SNS (the default; agreements.ts has `"via": "eventbridge"`). */
export const notifySchema = z.object({
  via: z.literal("sns").optional(),
  action: z.enum(NOTIFICATION_ACTIONS),
  customerIdentifier: customerIdentifierSchema,
  productCode: productCodeSchema,
  offerIdentifier: z.string().trim().min(1).max(128).optional(),
  isFreeTrialTermPresent: z.boolean().optional(),
});
export type NotifyInput = z.infer<typeof notifySchema>;

/**
 * The topic and message AWS Marketplace would publish. Entitlement changes go to the product's
 * entitlement topic; `offer-identifier` accompanies subscribe-success/-fail (as AWS documents)
 * unless the caller passes one explicitly.
 */
export function topicNameFor(action: NotificationAction, productCode: string): string {
  return action === "entitlement-updated" ? `aws-mp-entitlement-notification-${productCode}` : `aws-mp-subscription-notification-${productCode}`;
}

export function marketplaceMessage(input: NotifyInput, customer: Customer | undefined): { topicName: string; message: string } {
  const topicName = topicNameFor(input.action, input.productCode);
  if (input.action === "entitlement-updated") {
    return {
      topicName,
      message: JSON.stringify({ action: input.action, "customer-identifier": input.customerIdentifier, "product-code": input.productCode }),
    };
  }
  const offer = input.offerIdentifier ?? (input.action.startsWith("subscribe-") ? customer?.offerIdentifier : undefined);
  const freeTrial = input.isFreeTrialTermPresent ?? customer?.freeTrial ?? false;
  return {
    topicName,
    message: JSON.stringify({
      action: input.action,
      "customer-identifier": input.customerIdentifier,
      "product-code": input.productCode,
      ...(offer === undefined ? {} : { "offer-identifier": offer }),
      isFreeTrialTermPresent: String(freeTrial),
    }),
  };
}

/** Publishes through the sandbox's own SNS endpoint, over the wire, as Marketplace publishes to SNS. */
export class Notifier {
  private readonly client: SNSClient;

  constructor(ctx: SandboxContext) {
    this.client = new SNSClient({ endpoint: ctx.url, region: ctx.region, credentials: SANDBOX_CREDENTIALS });
  }

  async publish(input: NotifyInput, customer: Customer | undefined): Promise<{ messageId: string; topicArn: string; delivered: number }> {
    const { topicName, message } = marketplaceMessage(input, customer);
    const { TopicArn: topicArn } = await this.client.send(new CreateTopicCommand({ Name: topicName }));
    if (!topicArn) throw new Error("CreateTopic returned no TopicArn");
    let delivered = 0;
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }));
      delivered += page.Subscriptions?.length ?? 0;
      nextToken = page.NextToken;
    } while (nextToken);
    const { MessageId: messageId } = await this.client.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
    if (!messageId) throw new Error("Publish returned no MessageId");
    return { messageId, topicArn, delivered };
  }

  close(): void {
    this.client.destroy();
  }
}
