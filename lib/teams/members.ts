import { revealKey, rotateKey } from "../access/keys";
import { changeAccess } from "../access/profile";
import { GRACE_PERIODS, type GracePeriod } from "../access/types";
import { recordAudit } from "../audit";
import { unguarded } from "../access/guard";
import { deleteItem, putItem, updateItem } from "../db/items";
import { memberKey, revealRowKey } from "../db/keys";
import { readProfileRow } from "../db/profiles";
import { AppError } from "../errors";
import { revokeTokensMadeBy } from "../tokens";
import { assignableBy, can, type TeamRole } from "./roles";
import { findTeamById, readMember, readMembers, readReveals, type MemberRow, type Team } from "./store";
import type { Person } from "./teams";

/**
 * Who is in a team and as what. Every change runs under the team's lease (the same per-owner
 * lease its keys use), so two owners removing each other at once can't leave it with none: a team
 * always has an owner, and only owners change roles, remove people or make owners.
 */

/** Audit entries are about the team; the member concerned is their target. */
const subject = (team: Team) => ({ userId: team.id, email: null, team: team.slug });

async function memberOrNotFound(team: Team, userId: string): Promise<MemberRow> {
  const member = await readMember(team.id, userId);
  if (!member) throw new AppError("not_found", "No such member of this team.");
  return member;
}

/** Only someone who can act may own a team: a disabled or pending account would leave it with no one to run it. */
async function assertCanOwn(userId: string): Promise<void> {
  const profile = await readProfileRow(userId);
  if (profile && profile.status !== "active") throw new AppError("conflict", "That person's account isn't active, so they can't own the team.");
}

const otherOwners = (members: MemberRow[], userId: string) => members.filter((m) => m.role === "owner" && m.userId !== userId).length;

export async function changeRole(actor: { role: TeamRole }, team: Team, userId: string, role: TeamRole): Promise<MemberRow> {
  if (!assignableBy(actor.role).includes(role)) throw new AppError("forbidden", `Your role can't make someone ${role === "admin" ? "an" : "a"} ${role}.`);
  return changeAccess(team.id, "change-role", async () => {
    const member = await memberOrNotFound(team, userId);
    if (member.role === role) return member;
    if (member.role === "owner" && otherOwners(await readMembers(team.id), userId) === 0)
      throw new AppError("conflict", "A team needs an owner: make someone else an owner first.");
    if (role === "owner") await assertCanOwn(userId);
    await updateItem(memberKey(team.id, userId), { expression: "SET #role = :role", names: { "#role": "role" }, values: { ":role": role } });
    await recordAudit({ type: "team.role-changed", subject: subject(team), target: userId, before: { role: member.role }, after: { role } });
    return { ...member, role };
  });
}

export interface Removal {
  member: MemberRow;
  /** The team keys this person had seen, and what became of each. */
  revealed: { keyId: string; rotated: boolean }[];
  /** The team's portal tokens they had made, revoked with their membership. */
  revokedTokens: number;
  /** How what they saw was rotated: as asked, or as the team's departure policy requires (the stricter of the two). */
  rotation: { rotate: boolean; grace: GracePeriod; required: boolean };
}

/** The rotation a departure gets: what the remover asked for, made at least as strict as the team requires. */
function departureRotation(asked: { rotateRevealed: boolean; grace: GracePeriod }, required: GracePeriod | undefined): Removal["rotation"] {
  if (!required) return { rotate: asked.rotateRevealed, grace: asked.grace, required: false };
  const grace = asked.rotateRevealed && GRACE_PERIODS[asked.grace] < GRACE_PERIODS[required] ? asked.grace : required;
  return { rotate: true, grace, required: true };
}

const teamOwner = (team: Team) => ({ id: team.id, email: null, team: { slug: team.slug } });

/**
 * Rotates `keyId` for the team (the new value shown to no one); true when it was rotated or is
 * gone anyway (revoked, or rotated already), false when API Gateway or the lease failed and the
 * key still needs it.
 */
async function rotateSeenKey(team: Team, keyId: string, grace: GracePeriod): Promise<boolean> {
  return unguarded(() => rotateKey(teamOwner(team), keyId, grace)).then(
    () => true,
    (error: unknown) => error instanceof AppError && (error.code === "not_found" || error.code === "conflict"),
  );
}

/**
 * Removes someone from a team (or lets them leave). The last owner can't go. The keys they had
 * seen are rotated when asked (their old values keep working for `grace`, then stop); whatever
 * they saw and isn't rotated stays on record as seen by a former member, for an owner to rotate
 * later (rotateSeenByFormerMembers) — also when a rotation failed.
 */
export async function removeMember(team: Team, userId: string, options: { rotateRevealed: boolean; grace: GracePeriod; leaving?: boolean }): Promise<Removal> {
  const { member, keyIds, revokedTokens, rotation } = await changeAccess(team.id, options.leaving ? "leave-team" : "remove-member", async () => {
    const member = await memberOrNotFound(team, userId);
    // The policy as it is now (changing it takes this lease too).
    const rotation = departureRotation(options, (await findTeamById(team.id))?.rotateOnDeparture);
    if (member.role === "owner" && otherOwners(await readMembers(team.id), userId) === 0)
      throw new AppError(
        "conflict",
        options.leaving
          ? "You're the team's only owner: make someone else an owner, or delete the team."
          : "A team needs an owner: make someone else an owner first.",
      );
    // Their tokens act as them for the team: they go first (a failure here leaves them a member, not a member's tokens behind).
    const tokens = await revokeTokensMadeBy(team, userId);
    await deleteItem(memberKey(team.id, userId));
    const reveals = (await readReveals(team.id)).filter((r) => r.userId === userId);
    // Under the lease, before anything else can read or change them: they are a former member's now.
    for (const reveal of reveals)
      await updateItem(revealRowKey(team.id, reveal.keyId, userId), { expression: "SET former = :true", values: { ":true": true } });
    await recordAudit({
      type: options.leaving ? "team.left" : "team.member-removed",
      subject: subject(team),
      target: userId,
      before: { role: member.role, email: member.email },
      after: {
        revealedKeys: reveals.map((r) => r.keyId),
        rotate: rotation.rotate,
        ...(rotation.rotate ? { grace: rotation.grace } : {}),
        ...(rotation.required ? { requiredByTeam: true } : {}),
        ...(tokens.length ? { revokedTokens: tokens } : {}),
      },
    });
    return { member, keyIds: reveals.map((r) => r.keyId), revokedTokens: tokens.length, rotation };
  });
  // Outside the membership lease: each rotation takes the team's lease itself.
  const revealed: Removal["revealed"] = [];
  for (const keyId of keyIds) {
    const rotated = rotation.rotate && (await rotateSeenKey(team, keyId, rotation.grace));
    // Dealt with: the record goes (the audit log keeps the history). Otherwise it stays, marked former.
    if (rotated) await deleteFormerRecord(team, keyId, userId);
    revealed.push({ keyId, rotated });
  }
  return { member, revealed, revokedTokens, rotation };
}

/** Drops a former member's record of `keyId` unless they rejoined and saw it again meanwhile. */
const deleteFormerRecord = (team: Team, keyId: string, userId: string) =>
  deleteItem(revealRowKey(team.id, keyId, userId), { expression: "former = :true", values: { ":true": true } }).catch((error: Error) => {
    if (error.name !== "ConditionalCheckFailedException") throw error;
  });

/** Rotates every team key a former member has seen (each once), clearing those records as it goes; the keys still needing it are left on record. */
export async function rotateSeenByFormerMembers(team: Team, grace: GracePeriod): Promise<{ keyId: string; rotated: boolean }[]> {
  const former = (await readReveals(team.id)).filter((r) => r.former);
  const results: { keyId: string; rotated: boolean }[] = [];
  for (const keyId of new Set(former.map((r) => r.keyId))) {
    const rotated = await rotateSeenKey(team, keyId, grace);
    if (rotated) for (const row of former.filter((r) => r.keyId === keyId)) await deleteFormerRecord(team, keyId, row.userId);
    results.push({ keyId, rotated });
  }
  if (results.length > 0) await recordAudit({ type: "team.rotated-former-seen", subject: subject(team), after: { keys: results.map((r) => r.keyId), grace } });
  return results;
}

/** Makes `toUserId` an owner and the current owner an admin, in one step under the lease. */
export async function transferOwnership(team: Team, fromUserId: string, toUserId: string): Promise<void> {
  if (fromUserId === toUserId) throw new AppError("bad_request", "Choose another member to hand the team to.");
  await changeAccess(team.id, "transfer-team", async () => {
    const [from, to] = await Promise.all([memberOrNotFound(team, fromUserId), memberOrNotFound(team, toUserId)]);
    if (from.role !== "owner") throw new AppError("forbidden", "Only an owner can hand the team over.");
    await assertCanOwn(toUserId);
    // The new owner first: at every moment the team has an owner.
    await updateItem(memberKey(team.id, toUserId), { expression: "SET #role = :owner", names: { "#role": "role" }, values: { ":owner": "owner" } });
    await updateItem(memberKey(team.id, fromUserId), { expression: "SET #role = :admin", names: { "#role": "role" }, values: { ":admin": "admin" } });
    await recordAudit({ type: "team.transferred", subject: subject(team), target: toUserId, before: { owner: from.userId }, after: { owner: to.userId } });
  });
}

/**
 * A team key's value for a member allowed to see it, recorded (and audited) as seen by them, so
 * removing them can rotate it. Under the team's lease: a reveal racing the person's removal either
 * finishes first (and is rotated with the rest) or finds them gone.
 */
export async function revealTeamKey(team: Team, keyId: string, person: Person): Promise<string> {
  return changeAccess(
    team.id,
    "reveal-key",
    async () => {
      const member = await readMember(team.id, person.id);
      if (!member) throw new AppError("not_found", `No team "${team.slug}" that you belong to.`);
      if (!can(member.role, "reveal")) throw new AppError("forbidden", `As a ${member.role} of ${team.name} you can't see the team's key values.`);
      const value = await revealKey(team.id, keyId);
      await recordShown(team, keyId, person, { audit: true });
      return value;
    },
    { changed: () => false },
  );
}

/**
 * Records that `person` was shown a team key's value (revealed, or returned when they created or
 * rotated it): removal can then rotate what they saw. A record a former member left is theirs again.
 */
export async function recordShown(team: Team, keyId: string, person: Person, options: { audit?: boolean } = {}): Promise<void> {
  const now = new Date().toISOString();
  await updateItem(revealRowKey(team.id, keyId, person.id), {
    expression:
      "SET teamId = :team, keyId = :key, userId = :user, email = :email, firstAt = if_not_exists(firstAt, :now), lastAt = :now ADD #count :one REMOVE former",
    names: { "#count": "count" },
    values: { ":team": team.id, ":key": keyId, ":user": person.id, ":email": person.email, ":now": now, ":one": 1 },
  });
  if (options.audit) await recordAudit({ type: "key.revealed", subject: subject(team), target: keyId });
}

/** Puts a member row for someone joining (an accepted invitation). False when they are a member already. */
export const addMember = (row: MemberRow) =>
  putItem(row, { expression: "attribute_not_exists(pk)" }).then(
    () => true,
    (error: Error) => {
      if (error.name === "ConditionalCheckFailedException") return false;
      throw error;
    },
  );
