import { runAs } from "../lib/audit";
import { applySesEvent, RejectedFeedback, sesEventFromSnsRecord, type SuppressionOutcome } from "../lib/notifications/suppression";

/**
 * SES bounce and complaint events → suppressed addresses (infra/email.ts): SNS messages from the
 * stage's feedback topic (SES_FEEDBACK_TOPIC_ARN), signed by SNS (the certificate is fetched from
 * SNS's host). Malformed, unsigned or foreign messages are dropped with a log line that names the
 * problem, never the content; other failures (the certificate or DynamoDB out of reach) throw so
 * that SNS delivers again, which is safe (lib/notifications/suppression.ts is idempotent).
 * Logs counts only: no addresses.
 */
export async function handler(event: unknown): Promise<{ outcomes: (SuppressionOutcome | "rejected")[] }> {
  return runAs({ kind: "system", id: "ses-feedback" }, () => handle(event));
}

async function handle(event: unknown): Promise<{ outcomes: (SuppressionOutcome | "rejected")[] }> {
  const topicArn = process.env.SES_FEEDBACK_TOPIC_ARN ?? "";
  const records = (event as { Records?: unknown[] })?.Records;
  const outcomes: (SuppressionOutcome | "rejected")[] = [];
  for (const record of Array.isArray(records) ? records : [event]) {
    try {
      outcomes.push(await applySesEvent(await sesEventFromSnsRecord(record, topicArn)));
    } catch (error) {
      if (!(error instanceof RejectedFeedback)) throw error;
      console.warn(`[ses-feedback] rejected a message: ${error.reason}`);
      outcomes.push("rejected");
    }
  }
  const count = (key: "suppressed" | "unchanged" | "invalid") => outcomes.reduce((n, o) => n + (o === "rejected" ? 0 : o[key]), 0);
  console.log(
    JSON.stringify({
      function: "ses-feedback",
      messages: outcomes.length,
      rejected: outcomes.filter((o) => o === "rejected").length,
      suppressed: count("suppressed"),
      unchanged: count("unchanged"),
      invalid: count("invalid"),
    }),
  );
  return { outcomes };
}
