import { getPortalSettings } from "../catalog/settings";
import { siteUrl } from "../config";
import { AppError } from "../errors";
import { sendEmail } from "../ses";
import { renderInvitationEmail, renderNoticeEmail } from "./email";
import { categoryOf, type Notice } from "../outbox/events";
import { emailSettings } from "./email-settings";
import { unsubscribeUrl } from "./unsubscribe";

/**
 * Sending a notice by email through SES: rendered with the portal's branding, with one-click
 * unsubscribe headers for its category (RFC 8058: `List-Unsubscribe` + `List-Unsubscribe-Post`).
 */

export type EmailResult = { ok: true; messageId: string } | { ok: false; error: string; retryable: boolean };

export async function sendNoticeEmail(notice: Notice, to: string, recipientName?: string | null): Promise<EmailResult> {
  const settings = emailSettings();
  if (!settings) return { ok: false, error: "Email isn't set up on this portal.", retryable: false };
  const site = siteUrl();
  const portal = getPortalSettings();
  const unsubscribe = unsubscribeUrl(notice.userId, categoryOf(notice.type));
  const { subject, html, text } = await renderNoticeEmail(notice, {
    portalName: portal.name,
    siteUrl: site,
    brandColor: portal.colors.brand,
    ...(portal.logo ? { logoUrl: `${site}/brand/logo` } : {}),
    unsubscribeUrl: unsubscribe,
    preferencesUrl: `${site}/dashboard/notifications`,
    ...(recipientName ? { recipientName } : {}),
  });
  try {
    const { messageId } = await sendEmail({
      from: mailbox(portal.name, settings.from),
      to,
      subject,
      html,
      text,
      // The notice's id lets a mail client, or a support person, tell a repeat from a new notice.
      headers: {
        "X-Portico-Notice": notice.id,
        "List-Unsubscribe": `<${unsubscribeUrl(notice.userId, categoryOf(notice.type), "one-click")}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      ...(settings.configurationSet ? { configurationSet: settings.configurationSet } : {}),
      tags: { category: categoryOf(notice.type), type: notice.type.replace(/[^\w-]/g, "_") },
    });
    return { ok: true, messageId };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, retryable: error.code === "unavailable" };
    throw error;
  }
}

/**
 * A team invitation to the address invited, with the link worked out for this sending. Transactional (the inviter
 * asked for it): no unsubscribe headers, and no X-Portico-Notice either (it is no notice to an account); its own
 * header names the notice for support.
 */
export async function sendInvitationEmail(notice: Extract<Notice, { type: "team.invited" }>, to: string, joinUrl: string): Promise<EmailResult> {
  const settings = emailSettings();
  if (!settings) return { ok: false, error: "Email isn't set up on this portal.", retryable: false };
  const site = siteUrl();
  const portal = getPortalSettings();
  const { subject, html, text } = await renderInvitationEmail(notice, {
    portalName: portal.name,
    siteUrl: site,
    brandColor: portal.colors.brand,
    ...(portal.logo ? { logoUrl: `${site}/brand/logo` } : {}),
    joinUrl,
  });
  try {
    const { messageId } = await sendEmail({
      from: mailbox(portal.name, settings.from),
      to,
      subject,
      html,
      text,
      headers: { "X-Portico-Invitation": notice.id },
      ...(settings.configurationSet ? { configurationSet: settings.configurationSet } : {}),
      tags: { category: categoryOf(notice.type), type: notice.type.replace(/[^\w-]/g, "_") },
    });
    return { ok: true, messageId };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, retryable: error.code === "unavailable" };
    throw error;
  }
}

/**
 * `"Display name" <address>` as RFC 5322 wants it: the name quoted (so `Acme, Inc.` stays one
 * address), or RFC 2047-encoded when it isn't ASCII (`Café APIs`), as SES requires.
 */
export function mailbox(name: string, address: string): string {
  const clean = name.replace(/[\r\n\t]+/g, " ").trim();
  if (!clean) return address;
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/["\\]/g, "\\$&")}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(clean, "utf8").toString("base64")}?= <${address}>`;
}
