import { z } from "zod";
import { parseMailbox, simulatorOutcome, type Mailbox } from "./addresses";
import { badRequest, messageRejected, notFound } from "./errors";
import type { SesEvent } from "./events";
import type { Outcome, SesStore, StoredMessage } from "./store";

const MAX_RECIPIENTS = 50;
const MAX_HEADERS = 15;

/** Headers SES writes itself, which a SendEmail request's `Headers` may not set. */
const RESERVED_HEADERS = new Set(
  [
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "reply-to",
    "sender",
    "return-path",
    "message-id",
    "date",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "dkim-signature",
    "received",
  ].map((h) => h.toLowerCase()),
);

const content = z.object({ Data: z.string().optional(), Charset: z.string().optional() }).optional();
const nameValue = z.object({ Name: z.string().optional(), Value: z.string().optional() });
const addressList = z.array(z.string()).optional();

/** The request body of SendEmail (POST /v2/email/outbound-emails), loosely typed: SES's own checks come after. */
const sendEmailSchema = z.object({
  FromEmailAddress: z.string().optional(),
  Destination: z.object({ ToAddresses: addressList, CcAddresses: addressList, BccAddresses: addressList }).optional(),
  ReplyToAddresses: addressList,
  Content: z
    .object({
      Simple: z
        .object({
          Subject: content,
          Body: z.object({ Text: content, Html: content }).optional(),
          Headers: z.array(nameValue).optional(),
          Attachments: z.array(z.unknown()).optional(),
        })
        .optional(),
      Raw: z.object({ Data: z.string().optional() }).optional(),
      Template: z.unknown().optional(),
    })
    .optional(),
  EmailTags: z.array(nameValue).optional(),
  ConfigurationSetName: z.string().optional(),
});

export interface Accepted {
  message: StoredMessage;
  events: SesEvent[];
}

/**
 * SendEmail: checks the request as SES does (the messages of its address parser and header checks),
 * then decides each recipient's fate: the account's suppression list and the mailbox simulator
 * bounce or complain, everyone else gets the message in the sandbox's mailbox.
 */
export function acceptEmail(body: unknown, store: SesStore): Accepted {
  const parsed = sendEmailSchema.safeParse(body);
  if (!parsed.success) throw badRequest(`Invalid request: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`.trim());
  const request = parsed.data;
  if (!request.Content) throw badRequest("Content is required.");
  if (request.Content.Raw || request.Content.Template) {
    // No MIME parser is installed in the portal's dependencies; the portal sends Simple content only.
    throw badRequest("The sandbox emulates Content.Simple only: Content.Raw and Content.Template are not supported.");
  }
  const simple = request.Content.Simple;
  if (!simple) throw badRequest("Content must contain one of Simple, Raw or Template.");
  if (simple.Attachments?.length) throw badRequest("The sandbox does not emulate attachments.");

  if (!request.FromEmailAddress) throw badRequest("Missing required header 'From'.");
  const from = parseMailbox(request.FromEmailAddress);
  const replyTo = (request.ReplyToAddresses ?? []).map(parseMailbox);
  const to = (request.Destination?.ToAddresses ?? []).map(parseMailbox);
  const cc = (request.Destination?.CcAddresses ?? []).map(parseMailbox);
  const bcc = (request.Destination?.BccAddresses ?? []).map(parseMailbox);
  const recipients = [...to, ...cc, ...bcc];
  if (recipients.length === 0) throw badRequest("Missing required header 'To'.");
  if (recipients.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);

  const subject = simple.Subject?.Data;
  if (subject === undefined) throw badRequest("Subject is required.");
  if (/[\r\n]/.test(subject)) throw badRequest("Subject must not contain line breaks.");
  const text = simple.Body?.Text?.Data;
  const html = simple.Body?.Html?.Data;
  if (text === undefined && html === undefined) throw messageRejected("Email body is empty.");

  const customHeaders = (simple.Headers ?? []).map(checkHeader);
  if (customHeaders.length > MAX_HEADERS) throw badRequest(`Too many headers: at most ${MAX_HEADERS} are allowed.`);
  const tags = (request.EmailTags ?? []).map(checkTag);

  const configurationSet = request.ConfigurationSetName;
  if (configurationSet !== undefined && !store.configurationSet(configurationSet)) {
    throw notFound(`Configuration set ${configurationSet} does not exist.`);
  }

  const messageId = sesMessageId();
  const timestamp = new Date();
  const { outcomes, events } = decideFates(recipients, store);
  const headers = [
    { name: "From", value: from.display },
    ...(replyTo.length ? [{ name: "Reply-To", value: replyTo.map((m) => m.display).join(", ") }] : []),
    ...(to.length ? [{ name: "To", value: to.map((m) => m.display).join(", ") }] : []),
    ...(cc.length ? [{ name: "Cc", value: cc.map((m) => m.display).join(", ") }] : []),
    { name: "Subject", value: subject },
    { name: "MIME-Version", value: "1.0" },
    { name: "Date", value: timestamp.toUTCString().replace("GMT", "+0000") },
    { name: "Message-ID", value: `<${messageId}@email.amazonses.com>` },
    {
      name: "Content-Type",
      value: text !== undefined && html !== undefined ? "multipart/alternative" : `text/${html !== undefined ? "html" : "plain"}; charset=UTF-8`,
    },
    ...customHeaders,
  ];
  const message: StoredMessage = {
    messageId,
    timestamp: timestamp.toISOString(),
    from: from.display,
    replyTo: replyTo.map((m) => m.display),
    to: to.map((m) => m.display),
    cc: cc.map((m) => m.display),
    bcc: bcc.map((m) => m.display),
    subject,
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    headers,
    ...(configurationSet !== undefined ? { configurationSet } : {}),
    tags,
    outcomes,
  };
  return { message, events };
}

function decideFates(recipients: Mailbox[], store: SesStore): { outcomes: Record<string, Outcome>; events: SesEvent[] } {
  const outcomes: Record<string, Outcome> = {};
  const delivered: string[] = [];
  const complained: string[] = [];
  const bounced = { General: [] as string[], Suppressed: [] as string[], OnAccountSuppressionList: [] as string[] };
  for (const { address } of recipients) {
    if (address in outcomes) continue;
    const simulated = simulatorOutcome(address);
    if (store.suppression(address)) {
      outcomes[address] = "suppressed";
      bounced.OnAccountSuppressionList.push(address);
    } else if (simulated === "bounce" || simulated === "suppressionlist") {
      outcomes[address] = "bounced";
      bounced[simulated === "bounce" ? "General" : "Suppressed"].push(address);
    } else if (simulated === "complaint") {
      outcomes[address] = "complained";
      delivered.push(address);
      complained.push(address);
    } else {
      outcomes[address] = "delivered";
      delivered.push(address);
    }
  }
  const events: SesEvent[] = [{ type: "SEND" }];
  if (delivered.length) events.push({ type: "DELIVERY", recipients: delivered });
  for (const [subType, list] of Object.entries(bounced) as [keyof typeof bounced, string[]][]) {
    if (list.length) events.push({ type: "BOUNCE", subType, recipients: list });
  }
  if (complained.length) events.push({ type: "COMPLAINT", recipients: complained });
  return { outcomes, events };
}

function checkHeader(header: z.infer<typeof nameValue>): { name: string; value: string } {
  const { Name: name, Value: value } = header;
  if (!name || !/^[\x21-\x39\x3b-\x7e]{1,126}$/.test(name)) throw badRequest(`Invalid header name: ${name ?? ""}`);
  if (RESERVED_HEADERS.has(name.toLowerCase())) throw badRequest(`Header ${name} cannot be set: SES writes it.`);
  if (value === undefined || !/^[\x20-\x7e\t]{1,870}$/.test(value)) throw badRequest(`Invalid value for header ${name}.`);
  return { name, value };
}

function checkTag(tag: z.infer<typeof nameValue>): { name: string; value: string } {
  const { Name: name, Value: value } = tag;
  if (!name || !/^[A-Za-z0-9_-]{1,256}$/.test(name) || name.startsWith("ses:")) {
    throw badRequest(`Invalid tag name <${name ?? ""}>: only alphanumeric ASCII characters, '_', and '-' are allowed.`);
  }
  if (value === undefined || !/^[A-Za-z0-9_-]{1,256}$/.test(value)) {
    throw badRequest(`Invalid tag value <${value ?? ""}>: only alphanumeric ASCII characters, '_', and '-' are allowed.`);
  }
  return { name, value };
}

/** A message id shaped like SES's: `0100` + time in hex, a UUID, `-000000`. */
export function sesMessageId(): string {
  return `0100${Date.now().toString(16).padStart(12, "0")}-${crypto.randomUUID()}-000000`;
}
