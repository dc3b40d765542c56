import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { changeAccess } from "../access/profile";
import { recordAudit } from "../audit";
import { siteUrl } from "../config";
import { deleteItem, getItem, putItem } from "../db/items";
import { teamInviteKey } from "../db/keys";
import { AppError } from "../errors";
import { addMember } from "./members";
import type { TeamRole } from "./roles";
import { findTeamById, readInvites, readMembers, readMemberships, type InviteRow, type Team } from "./store";
import { assertActive, MAX_TEAMS_PER_PERSON, memberRow, type Person } from "./teams";

/**
 * Invitations by email. The link carries `<teamId>.<inviteId>.<secret>`; only the secret's hash
 * is stored, so the table alone can't join anyone. An invitation is for one address: whoever opens
 * the link must be signed in with it (new people sign up first, then land back on the link). It
 * expires after a week, can be resent (a new secret: the old link stops working) or revoked.
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

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("base64url");
const auditSubject = (team: Team) => ({ userId: team.id, email: null, team: team.slug });

/** The link to send: the join page, which asks to sign in (or up) with the invited address. */
export const inviteLink = (team: Team, inviteId: string, secret: string) =>
  `${siteUrl()}/teams/join?token=${encodeURIComponent(`${team.id}.${inviteId}.${secret}`)}`;

function freshInvite(team: Team, email: string, role: InviteRow["role"], by: Person, inviteId = randomBytes(8).toString("hex"), sent = 1) {
  const secret = randomBytes(32).toString("base64url");
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
    secretHash: hashOf(secret),
    sent,
    expires: Math.ceil(Date.parse(expiresAt) / 1000) + INVITE_DAYS * 86_400,
  };
  return { row, link: inviteLink(team, inviteId, secret) };
}

/** Invites `email` as `role`. The link is returned once (to show and to send). */
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
    await recordAudit({ type: "team.invited", subject: auditSubject(team), target: email, after: { role, expiresAt: row.expiresAt } });
    return { invite: inviteView(row), link };
  });
}

async function inviteOrNotFound(team: Team, inviteId: string): Promise<InviteRow> {
  const row = await getItem<InviteRow>(teamInviteKey(team.id, inviteId), { consistent: true });
  if (!row) throw new AppError("not_found", "No such invitation.");
  return row;
}

/** A new link (the old one stops working) and another week. */
export async function resendInvite(team: Team, by: Person, inviteId: string): Promise<{ invite: InviteView; link: string }> {
  return changeAccess(team.id, "resend-invite", async () => {
    const old = await inviteOrNotFound(team, inviteId);
    const { row, link } = freshInvite(team, old.email, old.role, by, old.inviteId, old.sent + 1);
    await putItem(row, { expression: "secretHash = :old", values: { ":old": old.secretHash } });
    await recordAudit({ type: "team.invite-resent", subject: auditSubject(team), target: old.email, after: { expiresAt: row.expiresAt } });
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
  const given = Buffer.from(hashOf(secret));
  const stored = Buffer.from(row.secretHash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw gone;
  if (Date.parse(row.expiresAt) <= Date.now()) throw new AppError("not_found", "This invitation has expired. Ask the team to resend it.");
  return { team, invite: row };
}

const sameAddress = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** Joins the team the link invites `person` to, with the invited role. */
export async function acceptInvite(person: Person, token: string): Promise<{ team: Team; role: TeamRole }> {
  await assertActive(person);
  const { team, invite: row } = await openInvite(token);
  if (!sameAddress(person.email, row.email)) throw new AppError("forbidden", `This invitation is for ${row.email}. Sign in with that address to accept it.`);
  if ((await readMemberships(person.id)).length >= MAX_TEAMS_PER_PERSON)
    throw new AppError("conflict", `You already belong to ${MAX_TEAMS_PER_PERSON} teams, the most allowed. Leave one first.`);
  return changeAccess(team.id, "accept-invite", async () => {
    // Read again under the lease: a revoke or resend that got there first wins.
    const current = await getItem<InviteRow>(teamInviteKey(team.id, row.inviteId), { consistent: true });
    if (!current || current.secretHash !== row.secretHash)
      throw new AppError("not_found", "This invitation was revoked or resent meanwhile. Ask for a new one.");
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
