import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { SANDBOX_CREDENTIALS, type SandboxContext } from "../context";
import { functionExists, setFunctionEnvironment } from "../functions";

/** `functions/marketplace-listener.ts`: what infra/marketplace.ts deploys as the MarketplaceListener. */
export const LISTENER_FUNCTION = "marketplace-listener";

/** The two topics AWS Marketplace gives a SaaS product. */
export function marketplaceTopicNames(productCode: string): string[] {
  return [`aws-mp-subscription-notification-${productCode}`, `aws-mp-entitlement-notification-${productCode}`];
}

/**
 * What infra/marketplace.ts does in AWS, for the sandbox: each product code's subscription and
 * entitlement topics, the listener subscribed to them, and the listener's environment
 * (infra/lib/environment.ts `marketplaceListenerEnvironment`: the table and the topics it trusts),
 * plus the sandbox's own origin, whose SNS signing certificate the listener trusts only here.
 * Idempotent, like CreateTopic and Subscribe: a restart with persisted state adds nothing.
 */
export async function wireMarketplaceListener(ctx: SandboxContext, input: { productCodes: string[]; table: string }): Promise<{ topicArns: string[] }> {
  const codes = [...new Set(input.productCodes)].sort();
  if (codes.length === 0 || !functionExists(ctx, LISTENER_FUNCTION)) return { topicArns: [] };
  const sns = new SNSClient({ endpoint: ctx.url, region: ctx.region, credentials: SANDBOX_CREDENTIALS });
  const endpoint = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${LISTENER_FUNCTION}`;
  const topicArns: string[] = [];
  try {
    for (const name of codes.flatMap(marketplaceTopicNames)) {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
      if (!TopicArn) throw new Error(`CreateTopic ${name} returned no TopicArn`);
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: "lambda", Endpoint: endpoint }));
      topicArns.push(TopicArn);
    }
  } finally {
    sns.destroy();
  }
  // Its SNS endpoint is the sandbox (whose certificates it then trusts), whatever else the host process set.
  setFunctionEnvironment(ctx, LISTENER_FUNCTION, { PORTICO_TABLE: input.table, MARKETPLACE_TOPIC_ARNS: topicArns.join(","), AWS_ENDPOINT_URL_SNS: ctx.url });
  return { topicArns };
}
