import { randomBytes, timingSafeEqual } from "node:crypto";
import { changeAccess } from "../access/profile";
import { recordAudit } from "../audit";
import { deleteItem, getItem, putItem } from "../db/items";
import { teamInviteKey } from "../db/keys";
import { AppError } from "../errors";
import { addMember } from "./members";
import type { TeamRole } from "./roles";
import { inviteTokenInput } from "./inputs";
import { hashOfSecret, inviteLink, inviteSecret } from "./invite-link";
import { asNewMembership, MAX_TEAMS_PER_PERSON } from "./joining";
import { findTeamById, readInvites, readMembers, type InviteRow, type Team } from "./store";
import { assertActive, memberRow, teamDisabled, type Person } from "./teams";

/**
 * Invitations by email. The link carries `<teamId>.<inviteId>.<secret>`; only the secret's hash
 * is stored, so the table alone can't join anyone. Inviting (and resending) queues an email to the
 * address (`team.invited`, sent by the notifier, which works the link out again: invite-link.ts);
 * the inviter also gets the link once, to pass on themselves if the email doesn't arrive. An
 * invitation is for one address: whoever opens the link must be signed in with it (new people sign
 * up first, then land back on it). It expires after a week, can be resent (a new secret: the old
 * link, and an email still queued with it, stop working) or revoked (a queued email isn't sent).
 */

export const INVITE_DAYS = 7;
export const MAX_OPEN_INVITES = 50;

export interface InviteView {
  id: string;
  email: string;
  role: InviteRow["role"];
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
  sent: number;
}

export const inviteView = (row: InviteRow, now = Date.now()): InviteView => ({
  id: row.inviteId,
  email: row.email,
  role: row.role,
  invitedBy: row.invitedBy.email,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  expired: Date.parse(row.expiresAt) <= now,
  sent: row.sent,
});

const auditSubject = (team: Team) => ({ userId: team.id, email: null, team: team.slug });

function freshInvite(team: Team, email: string, role: InviteRow["role"], by: Person, inviteId = randomBytes(8).toString("hex"), sent = 1) {
  const secret = inviteSecret(team.id, inviteId, sent);
  const now = Date.now();
  const expiresAt = new Date(now + INVITE_DAYS * 86_400_000).toISOString();
  const row: InviteRow = {
    ...teamInviteKey(team.id, inviteId),
    teamId: team.id,
    inviteId,
    email,
    role,
    invitedBy: { userId: by.id, email: by.email },
    createdAt: new Date(now).toISOString(),
    expiresAt,
    secretHash: hashOfSecret(secret),
    sent,
    expires: Math.ceil(Date.parse(expiresAt) / 1000) + INVITE_DAYS * 86_400,
  };
  return { row, link: inviteLink(team.id, inviteId, sent) };
}

/** The email an invitation (or a resend) queues with its audit entry: who, to what, as what, until when; never the secret. */
const invitationNotice = (team: Team, row: InviteRow, by: Person) => ({
  type: "team.invited" as const,
  data: {
    inviteId: row.inviteId,
    sent: row.sent,
    email: row.email,
    role: row.role,
    teamName: team.name,
    invitedBy: { name: by.name ?? null, email: by.email },
    expiresAt: row.expiresAt,
  },
});

/** Invites `email` as `role` and queues the email to them. The link is also returned once (to show, as a fallback). */
export async function invite(team: Team, by: Person, email: string, role: InviteRow["role"]): Promise<{ invite: InviteView; link: string }> {
  return changeAccess(team.id, "invite", async () => {
    const [members, invites] = await Promise.all([readMembers(team.id), readInvites(team.id)]);
    if (members.some((m) => m.email?.toLowerCase() === email)) throw new AppError("conflict", `${email} is already in this team.`);
    const open = invites.filter((i) => Date.parse(i.expiresAt) > Date.now());
    if (invites.some((i) => i.email === email)) throw new AppError("conflict", `${email} is already invited. Resend that invitation instead.`);
    if (open.length >= MAX_OPEN_INVITES)
      throw new AppError("conflict", `This team has ${MAX_OPEN_INVITES} open invitations, the most allowed. Revoke some first.`);
    const { row, link } = freshInvite(team, email, role, by);
    await putItem(row, { expression: "attribute_not_exists(pk)" });
    await recordAudit({
      type: "team.invited",
      subject: auditSubject(team),
      target: email,
      after: { role, expiresAt: row.expiresAt },
      notice: invitationNotice(team, row, by),
    });
    return { invite: inviteView(row), link };
  });
}

async function inviteOrNotFound(team: Team, inviteId: string): Promise<InviteRow> {
  const row = await getItem<InviteRow>(teamInviteKey(team.id, inviteId), { consistent: true });
  if (!row) throw new AppError("not_found", "No such invitation.");
  return row;
}

/** A new link (the old one, and an email still queued with it, stop working), another week, and a new email. */
export async function resendInvite(team: Team, by: Person, inviteId: string): Promise<{ invite: InviteView; link: string }> {
  return changeAccess(team.id, "resend-invite", async () => {
    const old = await inviteOrNotFound(team, inviteId);
    const { row, link } = freshInvite(team, old.email, old.role, by, old.inviteId, old.sent + 1);
    await putItem(row, { expression: "secretHash = :old", values: { ":old": old.secretHash } });
    await recordAudit({
      type: "team.invite-resent",
      subject: auditSubject(team),
      target: old.email,
      after: { expiresAt: row.expiresAt, sent: row.sent },
      notice: invitationNotice(team, row, by),
    });
    return { invite: inviteView(row), link };
  });
}

export async function revokeInvite(team: Team, inviteId: string): Promise<void> {
  await changeAccess(team.id, "revoke-invite", async () => {
    const row = await inviteOrNotFound(team, inviteId);
    await deleteItem(teamInviteKey(team.id, inviteId));
    await recordAudit({ type: "team.invite-revoked", subject: auditSubject(team), target: row.email });
  });
}

/** The invitation a link names, if its secret matches and it hasn't expired. */
export async function openInvite(token: string): Promise<{ team: Team; invite: InviteRow }> {
  const [teamId, inviteId, secret] = token.split(".") as [string, string, string];
  const gone = new AppError("not_found", "This invitation link is no longer valid: it was revoked, resent, used or never existed. Ask for a new one.");
  const [team, row] = await Promise.all([findTeamById(teamId), getItem<InviteRow>(teamInviteKey(teamId, inviteId), { consistent: true })]);
  if (!team || !row) throw gone;
  const given = Buffer.from(hashOfSecret(secret));
  const stored = Buffer.from(row.secretHash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw gone;
  if (Date.parse(row.expiresAt) <= Date.now()) throw new AppError("not_found", "This invitation has expired. Ask the team to resend it.");
  return { team, invite: row };
}

/**
 * The token an answer (accept, decline) is about: the one in the request body, or else the one the browser's
 * invitation cookie carries (the landing put it there). A clear 400 when there is neither, or it is malformed.
 */
export function answeredToken(fromBody: string | undefined, fromCookie: string | undefined): string {
  if (fromBody) return fromBody;
  if (!fromCookie) throw new AppError("bad_request", "There's no invitation to answer: open the link in your invitation email first.");
  const parsed = inviteTokenInput.safeParse({ token: fromCookie });
  if (!parsed.success) throw new AppError("bad_request", "That invitation link is not complete. Open the whole link from the email.");
  return parsed.data.token;
}

const sameAddress = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * Joins the team the link invites `person` to, with the invited role. Under the person's lease
 * first (joining.ts: their account is still there, and under the team limit, with no other join
 * in between), then the team's (the invitation is still the one the link names).
 */
export async function acceptInvite(person: Person, token: string): Promise<{ team: Team; role: TeamRole }> {
  await assertActive(person);
  const { team, invite: row } = await openInvite(token);
  if (!sameAddress(person.email, row.email)) throw new AppError("forbidden", `This invitation is for ${row.email}. Sign in with that address to accept it.`);
  if (team.disabled) throw teamDisabled();
  const tooMany = `You already belong to ${MAX_TEAMS_PER_PERSON} teams, the most allowed. Leave one first.`;
  const joined = await asNewMembership(person.id, "join-team", tooMany, async () => ({ id: team.id, ...(await joinUnderTeamLease(person, team, row)) }));
  return { team: joined.team, role: joined.role };
}

function joinUnderTeamLease(person: Person, team: Team, row: InviteRow): Promise<{ team: Team; role: TeamRole }> {
  return changeAccess(team.id, "accept-invite", async () => {
    // Read again under the lease: a revoke or resend that got there first wins.
    const current = await getItem<InviteRow>(teamInviteKey(team.id, row.inviteId), { consistent: true });
    if (!current || current.secretHash !== row.secretHash)
      throw new AppError("not_found", "This invitation was revoked or resent meanwhile. Ask for a new one.");
    if ((await findTeamById(team.id))?.disabled) throw teamDisabled();
    const joined = await addMember(memberRow(team, person, row.role));
    await deleteItem(teamInviteKey(team.id, row.inviteId));
    if (!joined) throw new AppError("conflict", `You're already in ${team.name}.`);
    await recordAudit({ type: "team.joined", subject: auditSubject(team), target: person.id, after: { role: row.role, via: row.inviteId } });
    return { team, role: row.role };
  });
}

export async function declineInvite(person: Person, token: string): Promise<void> {
  const { team, invite: row } = await openInvite(token);
  if (!sameAddress(person.email, row.email)) throw new AppError("forbidden", `This invitation is for ${row.email}.`);
  await changeAccess(team.id, "decline-invite", async () => {
    await deleteItem(teamInviteKey(team.id, row.inviteId), { expression: "secretHash = :hash", values: { ":hash": row.secretHash } }).catch(() => undefined);
    await recordAudit({ type: "team.invite-declined", subject: auditSubject(team), target: row.email });
  });
}

export async function listInvites(team: Team): Promise<InviteView[]> {
  const now = Date.now();
  return (await readInvites(team.id)).map((row) => inviteView(row, now)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
