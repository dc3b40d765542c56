import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { authSecret, siteUrl } from "../config";

/**
 * An invitation's link, worked out rather than kept. Its secret is an HMAC, under the portal's
 * AUTH_SECRET, of the team, the invitation and how many times it was sent; the invitation row keeps
 * only the secret's SHA-256 (so the table alone can't join anyone), and the email carries no secret
 * either: the notifier works the link out again when it sends (lib/notifications/invitation.ts).
 * Resending counts `sent` up, which makes a new secret: the old link, and an email still queued
 * with the old count, stop working. Few imports on purpose: the notifier job reads this too.
 *
 * The link lands on /teams/join/open, which moves the token into a short-lived HttpOnly cookie
 * and sends the browser on to /teams/join without it (no token in a sign-in callbackUrl, the
 * history or later access logs).
 */

/** The cookie that carries an opened invitation's token through sign-in or sign-up. */
export const INVITE_COOKIE = "portico-team-invite";
/** Long enough to create an account and confirm an email address; the link in the email can be opened again. */
export const INVITE_COOKIE_SECONDS = 30 * 60;
/** Where an invitation link lands (a route handler: it sets the cookie). */
export const INVITE_LANDING = "/teams/join/open";

export const hashOfSecret = (secret: string) => createHash("sha256").update(secret).digest("base64url");

/** The secret of the `sent`-th sending of an invitation (43 base64url characters). */
export const inviteSecret = (teamId: string, inviteId: string, sent: number) =>
  createHmac("sha256", authSecret()).update(`portico-team-invite:v1\n${teamId}\n${inviteId}\n${sent}`).digest("base64url");

export const inviteToken = (teamId: string, inviteId: string, sent: number) => `${teamId}.${inviteId}.${inviteSecret(teamId, inviteId, sent)}`;

/** The link of the `sent`-th sending. */
export const inviteLink = (teamId: string, inviteId: string, sent: number) =>
  `${siteUrl()}${INVITE_LANDING}?token=${encodeURIComponent(inviteToken(teamId, inviteId, sent))}`;

/**
 * The link of the `sent`-th sending of the invitation `row` is, if that is still its current one
 * (not resent since, and made under the AUTH_SECRET the portal has now); undefined otherwise.
 */
export function currentInviteLink(row: { teamId: string; inviteId: string; secretHash: string }, sent: number): string | undefined {
  const expected = Buffer.from(row.secretHash);
  const given = Buffer.from(hashOfSecret(inviteSecret(row.teamId, row.inviteId, sent)));
  return expected.length === given.length && timingSafeEqual(expected, given) ? inviteLink(row.teamId, row.inviteId, sent) : undefined;
}
