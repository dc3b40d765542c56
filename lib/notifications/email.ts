import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { categoryOf, NOTICE_TYPES, type Notice, type NoticeData } from "../outbox/events";
import { subjectLine } from "./email-templates/format";
import { Layout, type EmailContext } from "./email-templates/layout";
import { invitationContent, type InvitationContext } from "./email-templates/invitation";
import { TEMPLATES, type EmailNoticeType, type NoticeContent } from "./email-templates/notices";

/**
 * A notice as an email: subject, HTML and plain text, in the portal's branding. Sending (SES,
 * List-Unsubscribe headers) is the mailer's job; this only says what the email reads.
 */

export type { EmailContext } from "./email-templates/layout";
export type { InvitationContext } from "./email-templates/invitation";
export { PAGES } from "./email-templates/layout";

const webUrl = z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" });

/** The context comes from the portal's own settings, but it is what lands in links and styles: check it once here. */
export const emailContextSchema = z.object({
  portalName: z.string().min(1),
  siteUrl: webUrl.refine((url) => !url.endsWith("/"), "must not end with a slash"),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #3b5bdb"),
  logoUrl: webUrl.optional(),
  recipientName: z.string().nullish(),
  unsubscribeUrl: webUrl,
  preferencesUrl: webUrl,
  team: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,40}$/), name: z.string().min(1).max(200) }).optional(),
}) satisfies z.ZodType<EmailContext>;

// Headings as written (html-to-text shouts them by default).
const PLAIN_TEXT = { selectors: [{ selector: "h1", options: { uppercase: false } }] };

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** True for the notice types that go by email to an account (all but the webhook test event and team invitations). */
export const isEmailNotice = (type: Notice["type"]): type is EmailNoticeType => type !== "webhook.test" && type !== "team.invited";

export async function renderNoticeEmail(notice: Notice, context: EmailContext): Promise<RenderedEmail> {
  if (notice.type === "team.invited") {
    throw new AppError("bad_request", "Team invitations go to the address invited, with their link: renderInvitationEmail writes them.");
  }
  if (!isEmailNotice(notice.type)) {
    throw new AppError("bad_request", `Notices of type ${notice.type} go to the webhook endpoint being tested, never by email.`);
  }
  const ctx = parseContext(notice.team ? { ...context, team: notice.team } : context);
  // The outbox row is read back from storage: hold its data to its type's schema before it is shown.
  const parsed = NOTICE_TYPES[notice.type].data.safeParse(notice.data);
  if (!parsed.success) {
    throw new AppError("internal", `Notice ${notice.id} (${notice.type}) has malformed data: ${parsed.error.issues[0]?.path.join(".") || "data"}.`);
  }
  const template = TEMPLATES[notice.type] as (data: NoticeData<EmailNoticeType>, context: EmailContext, at: string) => NoticeContent;
  const content = template(parsed.data as NoticeData<EmailNoticeType>, ctx, notice.at);

  const { subject, body, ...frame } = content;
  const html = await render(createElement(Layout, { context: ctx, category: categoryOf(notice.type), ...frame }, body));
  // From the HTML itself, so the two parts can't drift apart; links are written out after their text.
  const text = toPlainText(html, PLAIN_TEXT).trim();
  // A team's notice goes to each of its owners and admins: the subject says whose keys it is about.
  return { subject: subjectLine(notice.team ? `${notice.team.name}: ${subject}` : subject), html, text };
}

export const invitationContextSchema = emailContextSchema
  .omit({ unsubscribeUrl: true, preferencesUrl: true, team: true, recipientName: true })
  .extend({ joinUrl: webUrl }) satisfies z.ZodType<InvitationContext>;

/** A team invitation (lib/outbox/events.ts `team.invited`) with the link the notifier worked out for it. */
export async function renderInvitationEmail(notice: Extract<Notice, { type: "team.invited" }>, context: InvitationContext): Promise<RenderedEmail> {
  const parsedContext = invitationContextSchema.safeParse(context);
  if (!parsedContext.success) {
    const issue = parsedContext.error.issues[0];
    throw new AppError("internal", `The email settings are invalid: ${issue?.path.join(".")} ${issue?.message ?? ""}`.trim());
  }
  const ctx = parsedContext.data;
  const parsed = NOTICE_TYPES["team.invited"].data.safeParse(notice.data);
  if (!parsed.success) {
    throw new AppError("internal", `Notice ${notice.id} (team.invited) has malformed data: ${parsed.error.issues[0]?.path.join(".") || "data"}.`);
  }
  const { subject, body, footer, ...frame } = invitationContent(parsed.data, ctx);
  const html = await render(createElement(Layout, { context: ctx, category: "invitations", footer, ...frame }, body));
  const text = toPlainText(html, PLAIN_TEXT).trim();
  return { subject: subjectLine(subject), html, text };
}

function parseContext(context: EmailContext): EmailContext {
  const parsed = emailContextSchema.safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("internal", `The email settings are invalid: ${issue?.path.join(".")} ${issue?.message ?? ""}`.trim());
  }
  return parsed.data;
}
