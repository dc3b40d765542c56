import { marketplaceListenerEnvironment } from "./lib/environment";
import { marketplaceListenerStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import { INDEX_NAMES } from "./lib/table";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/** The detail source of AWS Marketplace agreement and license events on EventBridge. */
export const AGREEMENT_EVENT_SOURCE = "aws.agreement-marketplace";

/**
 * AWS Marketplace notifications: one listener function subscribed to every configured SNS topic,
 * and to agreement events on the account's default EventBridge bus (where AWS is moving them).
 * Off until `marketplace.topicArns` is set for the stage.
 */
export function createMarketplace(settings: StageSettings, resources: { storage: Storage; scope: AccountScope & { accountId: string } }) {
  if (!settings.marketplaceEnabled) return undefined;
  const { storage, scope } = resources;
  const topicArns = settings.marketplace.topicArns;

  const listener = new sst.aws.Function("MarketplaceListener", {
    runtime: NODE_RUNTIME,
    handler: "functions/marketplace-listener.handler",
    description: "AWS Marketplace subscription, entitlement and agreement notifications",
    timeout: "30 seconds",
    environment: storage.table.name.apply((tableName) => marketplaceListenerEnvironment({ tableName, topicArns, limits: settings.limits })),
    permissions: storage.table.arn.apply((tableArn) => marketplaceListenerStatements({ scope, tableArn, indexNames: INDEX_NAMES })),
  });

  for (const topicArn of topicArns) {
    // SST names each subscription after its topic, so one subscriber name serves them all.
    sst.aws.SnsTopic.subscribe("MarketplaceListener", topicArn, listener.arn);
  }
  sst.aws.Bus.subscribe("MarketplaceListener", `arn:${scope.partition}:events:${scope.region}:${scope.accountId}:event-bus/default`, listener.arn, {
    pattern: { source: [AGREEMENT_EVENT_SOURCE] },
  });
  return listener;
}
