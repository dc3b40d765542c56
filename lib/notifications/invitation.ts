import { getItem } from "../db/items";
import { teamInviteKey } from "../db/keys";
import { readProfileRow } from "../db/profiles";
import type { Notice } from "../outbox/events";
import { currentInviteLink } from "../teams/invite-link";
import type { InviteRow } from "../teams/store";
import type { DeliveryRow, Outcome } from "./deliveries";
import { undeliverableEmail } from "./email-settings";
import { sendInvitationEmail } from "./mail";
import { retryOrFail } from "./webhook-attempt";

/**
 * A team invitation's email, as the notifier sends it. The notice names the invitation and which
 * sending it is, never its secret: the link is worked out here, at send time, and only while that
 * sending is still the invitation's current one. An invitation revoked, declined, accepted or
 * expired before its email went out sends nothing, and neither does an email a resend superseded
 * (the newer one carries the new link); each is recorded as skipped, with why.
 */

type Invitation = Extract<Notice, { type: "team.invited" }>;

/** One attempt at a claimed invitation delivery; `backoff` is the notifier's email schedule. */
export async function sendInvitation(delivery: DeliveryRow, attempt: number, now: Date, emailPace: () => Promise<void>, backoff: number[]): Promise<Outcome> {
  const notice = delivery.notice as Invitation;
  const teamId = delivery.userId;
  const [team, row] = await Promise.all([readProfileRow(teamId), getItem<InviteRow>(teamInviteKey(teamId, notice.data.inviteId), { consistent: true })]);
  if (!team?.team || team.status === "deleted") return { result: "skipped", error: "The team was deleted before the invitation was sent." };
  if (team.status !== "active") return { result: "skipped", error: "The team is disabled: its invitations can't be accepted." };
  if (!row) return { result: "skipped", error: "The invitation was revoked, declined or accepted before it was sent." };
  const link = currentInviteLink(row, notice.data.sent);
  if (!link) return { result: "skipped", error: "Superseded: the invitation was resent, and the newer email carries the link." };
  if (Date.parse(row.expiresAt) <= now.getTime()) return { result: "skipped", error: "The invitation expired before it was sent." };
  // As things are now: an address that bounced or complained since the invitation was made isn't mailed.
  const blocked = await undeliverableEmail(row.email);
  if (blocked) return { result: "skipped", error: blocked };
  await emailPace();
  // The team's name as it is now (it may have been renamed since).
  const sent = { ...notice, data: { ...notice.data, teamName: team.name ?? notice.data.teamName } };
  const result = await sendInvitationEmail(sent, row.email, link);
  if (result.ok) return { result: "sent", status: "accepted by SES", messageId: result.messageId };
  return retryOrFail(result.error, backoff, attempt, now, result.retryable);
}
