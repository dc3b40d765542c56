import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { z } from "zod";
import { AppError } from "../errors";
import { ses } from "./client";

/** SES's limits on what a message may carry (SendEmail, Content.Simple). */
const headerName = z.string().regex(/^[\x21-\x39\x3b-\x7e]{1,126}$/, "A header name is 1–126 printable ASCII characters, no colon.");
const headerValue = z.string().regex(/^[\x20-\x7e\t]{1,870}$/, "A header value is 1–870 printable ASCII characters on one line.");
const tagPart = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "Tag names and values are ASCII letters, digits, '_' and '-'.");
const address = z.string().trim().min(3).max(320);

export const emailSchema = z.object({
  /** `noreply@example.com` or `Portal <noreply@example.com>`: a verified identity's address. */
  from: address,
  to: z.union([address, z.array(address).min(1).max(50)]),
  subject: z
    .string()
    .min(1)
    .max(998)
    .refine((s) => !/[\r\n]/.test(s), "The subject is one line."),
  html: z.string().min(1),
  text: z.string().min(1),
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (SES allows 15). */
  headers: z.record(headerName, headerValue).optional(),
  configurationSet: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** Message tags, published with the message's SES events (bounces, complaints). */
  tags: z.record(tagPart, tagPart).optional(),
});
export type Email = z.input<typeof emailSchema>;

/** Errors about this one message: sending it again can never work. */
const UNDELIVERABLE = new Set(["MessageRejected", "BadRequestException"]);
/** Errors of the account or its set-up: sending later can work once the owner fixes it or SES lets up. */
const ACCOUNT_PROBLEMS: Record<string, string> = {
  TooManyRequestsException: "SES is throttling this account's sending right now.",
  LimitExceededException: "This account has reached its SES sending quota for now.",
  SendingPausedException: "Email sending is paused for this account or configuration set.",
  AccountSuspendedException: "SES has suspended email sending for this account.",
  MailFromDomainNotVerifiedException: "The sending domain's custom MAIL FROM domain isn't verified in SES.",
  NotFoundException: "SES doesn't know the configuration set this portal names.",
};

/**
 * Sends one message through SES v2 (Content.Simple: an HTML and a text part). Failures are
 * AppErrors the caller can tell apart: `unprocessable` when SES refused this message (a bad
 * address, a rejected message: don't retry), `unavailable` when sending may work later
 * (throttling, quotas, paused or misconfigured sending, SES errors: retry, after
 * `retryAfterSeconds` when given). The client has already retried throttling and 5xx.
 */
export async function sendEmail(email: Email): Promise<{ messageId: string }> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AppError("unprocessable", `This email can't be sent: ${parsed.error.issues[0]?.message ?? "invalid input"}`);
  const { from, to, subject, html, text, headers, configurationSet, tags } = parsed.data;
  const command = new SendEmailCommand({
    FromEmailAddress: from,
    Destination: { ToAddresses: Array.isArray(to) ? to : [to] },
    Content: {
      Simple: {
        Subject: { Data: subject, Charset: "UTF-8" },
        Body: { Html: { Data: html, Charset: "UTF-8" }, Text: { Data: text, Charset: "UTF-8" } },
        ...(headers ? { Headers: Object.entries(headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
      },
    },
    ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    ...(tags ? { EmailTags: Object.entries(tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
  });
  try {
    const { MessageId } = await ses.send(command);
    if (!MessageId) throw new AppError("unavailable", "SES accepted the email but returned no message id.");
    return { messageId: MessageId };
  } catch (error) {
    throw toEmailError(error);
  }
}

/** What an SES failure means to the sender: `unprocessable` (this message, never) or `unavailable` (later). */
export function toEmailError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = (error as Error)?.name ?? "";
  const detail = (error as Error)?.message;
  if (UNDELIVERABLE.has(name)) return new AppError("unprocessable", `SES refused this email${detail ? `: ${detail}` : "."}`, { cause: error });
  const problem = Object.hasOwn(ACCOUNT_PROBLEMS, name) ? ACCOUNT_PROBLEMS[name] : undefined;
  // Throttling passes in seconds; a spent daily quota refills over the day; account problems wait for a person.
  const retryAfterSeconds = name === "TooManyRequestsException" ? 5 : name === "LimitExceededException" ? 3600 : problem ? 300 : 30;
  return new AppError("unavailable", problem ?? "SES couldn't take the email right now.", { cause: error, retryAfterSeconds });
}
