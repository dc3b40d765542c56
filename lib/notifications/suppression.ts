import { z } from "zod";
import { recordAudit } from "../audit";
import { conditionally, deleteItem, getItem, putItem, rowAbsent, rowExists } from "../db/items";
import { suppressedKey } from "../db/keys";
import { snsSignatureProblem } from "../marketplace/sns-signature";

/**
 * Addresses the portal stops mailing: SES's bounce and complaint events (published by the stage's
 * configuration set to an SNS topic, infra/email.ts; the sandbox's SES does the same) become a
 * `SUPPRESSED#<email>` row, which expand.ts checks before creating an email delivery. A permanent
 * bounce or any complaint suppresses each address it names; a transient bounce (mailbox full,
 * greylisting) changes nothing, since SES already retried and the next notice may well arrive.
 * Writing a row that exists does nothing, so a redelivered message (SNS is at-least-once) or a
 * second event for the same address neither changes the row nor audits twice.
 *
 * The account's own suppression list (the configuration set's suppression options) keeps SES from
 * sending too; this row is what lets the portal say "not sent" in the delivery log without a call.
 */

export type SuppressionReason = "bounce" | "complaint";

export interface SuppressedRow {
  pk: string;
  sk: string;
  email: string;
  reason: SuppressionReason;
  /** SES's words: `Permanent/General`, or the complaint's feedback type (`abuse`). */
  detail?: string;
  /** SES's id of the bounce or complaint report. */
  feedbackId: string;
  /** The message that bounced or was complained about. */
  messageId?: string;
  /** When SES reported it, and when the portal recorded it. */
  at: string;
  suppressedAt: string;
}

export interface SuppressionOutcome {
  /** `Bounce`, `Complaint`, or another event type (nothing done). */
  eventType: string;
  /** Addresses newly suppressed. */
  suppressed: number;
  /** Addresses already suppressed (a redelivery, or an earlier event). */
  unchanged: number;
  /** Recipients whose address could not be read. */
  invalid: number;
}

const recipient = z.object({ emailAddress: z.string().max(512) });
const iso = z.iso.datetime({ offset: true });

/** SES's event-publishing JSON (`eventType`), or the older identity notifications (`notificationType`) of the same shape. */
const sesEvent = z.object({
  eventType: z.string().max(64).optional(),
  notificationType: z.string().max(64).optional(),
  mail: z.object({ messageId: z.string().max(256).optional() }).optional(),
  bounce: z
    .object({
      bounceType: z.string().max(64),
      bounceSubType: z.string().max(64).optional(),
      feedbackId: z.string().min(1).max(256),
      timestamp: iso.optional(),
      bouncedRecipients: z.array(recipient).max(100),
    })
    .optional(),
  complaint: z
    .object({
      feedbackId: z.string().min(1).max(256),
      complaintFeedbackType: z.string().max(64).optional(),
      timestamp: iso.optional(),
      complainedRecipients: z.array(recipient).max(100),
    })
    .optional(),
});

export type SesEvent = z.input<typeof sesEvent>;

/** Why a message was not applied; names the problem, never the content. */
export class RejectedFeedback extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "RejectedFeedback";
  }
}

const problems = (error: z.ZodError) => error.issues.map((i) => i.path.join(".") || "(root)").join(", ");

/** The addr-spec of `"Name" <a@b>` or `a@b`, lowercased; undefined when it isn't an address. */
function addressOf(value: string): string | undefined {
  const address = (/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();
  return z.email().safeParse(address).success ? address : undefined;
}

/**
 * Applies one SES event (already trusted: the listener checked its SNS signature). Throws
 * RejectedFeedback when it isn't an SES event at all.
 */
export async function applySesEvent(event: unknown, now = new Date()): Promise<SuppressionOutcome> {
  const parsed = sesEvent.safeParse(event);
  if (!parsed.success) throw new RejectedFeedback(`not an SES event (${problems(parsed.error)})`);
  const { eventType: type, notificationType, mail, bounce, complaint } = parsed.data;
  const eventType = type ?? notificationType;
  if (!eventType) throw new RejectedFeedback("not an SES event (eventType)");
  const outcome: SuppressionOutcome = { eventType, suppressed: 0, unchanged: 0, invalid: 0 };
  let report: { reason: SuppressionReason; detail?: string; feedbackId: string; at?: string; recipients: { emailAddress: string }[] } | undefined;
  if (eventType === "Bounce") {
    if (!bounce) throw new RejectedFeedback("bounce event without a bounce");
    // Transient (and Undetermined) bounces may well clear up: SES retried already, the next notice tries again.
    if (bounce.bounceType === "Permanent") {
      report = {
        reason: "bounce",
        detail: `${bounce.bounceType}/${bounce.bounceSubType ?? "General"}`,
        feedbackId: bounce.feedbackId,
        at: bounce.timestamp,
        recipients: bounce.bouncedRecipients,
      };
    }
  } else if (eventType === "Complaint") {
    if (!complaint) throw new RejectedFeedback("complaint event without a complaint");
    report = {
      reason: "complaint",
      ...(complaint.complaintFeedbackType ? { detail: complaint.complaintFeedbackType } : {}),
      feedbackId: complaint.feedbackId,
      at: complaint.timestamp,
      recipients: complaint.complainedRecipients,
    };
  }
  if (!report) return outcome;
  for (const { emailAddress } of report.recipients) {
    const email = addressOf(emailAddress);
    if (!email) {
      outcome.invalid += 1;
      continue;
    }
    const row: SuppressedRow = {
      ...suppressedKey(email),
      email,
      reason: report.reason,
      ...(report.detail ? { detail: report.detail } : {}),
      feedbackId: report.feedbackId,
      ...(mail?.messageId ? { messageId: mail.messageId } : {}),
      at: report.at ? new Date(report.at).toISOString() : now.toISOString(),
      suppressedAt: now.toISOString(),
    };
    if (!(await conditionally(putItem(row, rowAbsent)))) {
      outcome.unchanged += 1;
      continue;
    }
    outcome.suppressed += 1;
    // After the row: a crash between the two leaves the address suppressed, unaudited (never the reverse).
    await recordAudit(
      { type: "email.suppressed", target: email, after: { reason: row.reason, detail: row.detail, feedbackId: row.feedbackId }, reason: reasonText(row) },
      undefined,
      now,
    );
  }
  return outcome;
}

const reasonText = (row: Pick<SuppressedRow, "reason">) =>
  row.reason === "bounce" ? "Mail to this address bounced permanently." : "The recipient reported the portal's mail as spam.";

/** The suppression of `email`, if any. */
export const readSuppression = (email: string) => getItem<SuppressedRow>(suppressedKey(email), { consistent: true });

/**
 * Lets mail reach `email` again (an admin, or the person after fixing their mailbox): false when it
 * wasn't suppressed. Audited as the current actor. SES's account-level suppression list is separate
 * (DeleteSuppressedDestination), and SES keeps refusing an address there until that is lifted too.
 */
export async function liftSuppression(email: string, now = new Date()): Promise<boolean> {
  const address = addressOf(email);
  if (!address) return false;
  const row = await readSuppression(address);
  if (!row) return false;
  if (!(await conditionally(deleteItem(suppressedKey(address), rowExists)))) return false;
  await recordAudit({ type: "email.unsuppressed", target: address, before: { reason: row.reason, feedbackId: row.feedbackId } }, undefined, now);
  return true;
}

// --- SNS ----------------------------------------------------------------------------------------

const snsRecord = z.object({
  Sns: z.object({
    Type: z.literal("Notification"),
    MessageId: z.string().min(1).max(128),
    TopicArn: z.string().min(1).max(1024),
    Subject: z.string().nullish(),
    Message: z.string().max(256_000),
    Timestamp: iso,
    SignatureVersion: z.enum(["1", "2"]),
    Signature: z.base64().min(1).max(2048),
    SigningCertUrl: z.string().min(1).max(2048),
  }),
});

/**
 * The SES event in an SNS record from `topicArn` (the stage's feedback topic), signed by SNS;
 * RejectedFeedback for anything else. Throws (not RejectedFeedback) when the signature can't be
 * checked right now, so that SNS delivers again.
 */
export async function sesEventFromSnsRecord(record: unknown, topicArn: string): Promise<unknown> {
  const parsed = snsRecord.safeParse(record);
  if (!parsed.success) throw new RejectedFeedback(`not an SNS record (${problems(parsed.error)})`);
  const sns = parsed.data.Sns;
  if (!topicArn || sns.TopicArn !== topicArn) throw new RejectedFeedback("topic is not the stage's SES feedback topic");
  const signatureProblem = await snsSignatureProblem(sns);
  if (signatureProblem) throw new RejectedFeedback(signatureProblem);
  try {
    return JSON.parse(sns.Message) as unknown;
  } catch {
    throw new RejectedFeedback("message is not JSON");
  }
}
