import { applyMarketplaceEvent, fromAgreementEvent, fromSnsRecord, RejectedEvent, type EventOutcome } from "../lib/marketplace";
import { runAs } from "../lib/audit";
import { inBackgroundUntil, type LambdaTime } from "../lib/limits/priority";

/**
 * AWS Marketplace notifications → the buyer's subscription (infra/marketplace.ts): SNS messages
 * from the configured topics, signed by SNS (the certificate is fetched from SNS's host), and
 * EventBridge agreement events. Malformed, unsigned or foreign messages are dropped with a log line
 * that names the problem, never the content: delivering them again would not change the answer.
 * Other failures (the certificate or DynamoDB out of reach) throw so that AWS delivers again (the
 * same MessageId, which is safe to apply twice).
 */
export async function handler(event: unknown, lambda?: LambdaTime): Promise<{ outcomes: (EventOutcome | "rejected")[] }> {
  // Nobody is waiting on a click here: its control-plane calls go behind people's, and end before the function's time does.
  return inBackgroundUntil(lambda, () => runAs({ kind: "system", id: "marketplace-listener" }, () => handle(event)));
}

async function handle(event: unknown): Promise<{ outcomes: (EventOutcome | "rejected")[] }> {
  const topics = (process.env.MARKETPLACE_TOPIC_ARNS ?? "").split(",").filter(Boolean);
  const records = (event as { Records?: unknown[] })?.Records;
  const inputs = Array.isArray(records) ? records.map((record) => () => fromSnsRecord(record, topics)) : [async () => fromAgreementEvent(event)];
  const outcomes: (EventOutcome | "rejected")[] = [];
  for (const parse of inputs) {
    try {
      outcomes.push(await applyMarketplaceEvent(await parse()));
    } catch (error) {
      if (!(error instanceof RejectedEvent)) throw error;
      console.warn(`[marketplace-listener] rejected a message: ${error.reason}`);
      outcomes.push("rejected");
    }
  }
  return { outcomes };
}
