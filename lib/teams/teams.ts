import { randomBytes } from "node:crypto";
import { changeAccess } from "../access/profile";
import { readUserAccess, TEAM_DISABLED_MESSAGE } from "../access/rows";
import type { GracePeriod } from "../access/types";
import { recordAudit } from "../audit";
import { teamSlugsIn } from "../catalog/catalog";
import { getCatalog } from "../catalog/read";
import { unbindCustomer } from "../db/customers";
import { conditionally, deleteRows, getItem, putItem, updateItem } from "../db/items";
import { LOCK_SK, memberKey, membershipIndex, PROFILE_SK, TEAM_ID_PREFIX, teamSlugKey } from "../db/keys";
import { partitionKeys } from "../db/partition";
import { markDeleted, readProfileRow, updateProfile, type Profile } from "../db/profiles";
import { AppError } from "../errors";
import { asNewMembership, MAX_TEAMS_PER_PERSON } from "./joining";
import { readMembers, type MemberRow, type Team } from "./store";
import type { TeamRole } from "./roles";

export { MAX_TEAMS_PER_PERSON } from "./joining";
/** A slug claim whose team never got made (a crash between the two writes) is free again after this. */
const ABANDONED_CLAIM_MS = 60_000;

export interface Person {
  id: string;
  email: string | null;
  name?: string | null;
}

export const newTeamId = () => `${TEAM_ID_PREFIX}${randomBytes(10).toString("hex")}`;

export function memberRow(team: Team, person: Person, role: TeamRole, joinedAt = new Date().toISOString()): MemberRow {
  return {
    ...memberKey(team.id, person.id),
    teamId: team.id,
    userId: person.id,
    email: person.email,
    name: person.name ?? null,
    role,
    joinedAt,
    teamName: team.name,
    teamSlug: team.slug,
    ...membershipIndex(person.id, team.id),
  };
}

/** Changes to teams need the person acting to be in good standing, as changes to their own keys do. */
export async function assertActive(person: Person): Promise<Profile | undefined> {
  const profile = await readProfileRow(person.id);
  if (profile && profile.status !== "active")
    throw new AppError("forbidden", profile.status === "pending" ? "Your account is waiting for an administrator's approval." : "This account is disabled.");
  return profile;
}

/** Every change to a team an administrator disabled, by any of its members, is refused with this (its members may still look, and leave). */
export const teamDisabled = () => new AppError("forbidden", TEAM_DISABLED_MESSAGE);

/** Takes the slug for `teamId`, or says who has it. A claim left by a team that never got made is taken over. */
async function claimSlug(slug: string, teamId: string): Promise<void> {
  const now = Date.now();
  if (await conditionally(putItem({ ...teamSlugKey(slug), teamId, claimedAt: now }, { expression: "attribute_not_exists(pk)" }))) return;
  const claim = await getItem<{ teamId: string; claimedAt: number; deleted?: boolean }>(teamSlugKey(slug), { consistent: true });
  const abandoned = claim && !claim.deleted && now - claim.claimedAt > ABANDONED_CLAIM_MS && !(await readProfileRow(claim.teamId));
  if (
    abandoned &&
    (await conditionally(putItem({ ...teamSlugKey(slug), teamId, claimedAt: now }, { expression: "teamId = :old", values: { ":old": claim.teamId } })))
  )
    return;
  throw new AppError("conflict", `The slug "${slug}" is taken. Choose another.`);
}

/** A new team, with `person` as its owner. */
export async function createTeam(person: Person, input: { name: string; slug: string }, options: { admin?: boolean } = {}): Promise<Team> {
  await assertActive(person);
  const team: Team = { id: newTeamId(), slug: input.slug, name: input.name, createdAt: new Date().toISOString() };
  // A slug the catalog shows products to (visibility team:<slug>) is the admins' to give out.
  if (!options.admin && teamSlugsIn(await getCatalog()).has(team.slug))
    throw new AppError("forbidden", `The slug "${team.slug}" is reserved for a partner the portal's catalog names. Ask an administrator to create this team.`);
  // Under the person's lease: the team limit holds against concurrent creations and joins, and a deleted account makes nothing.
  const tooMany = `You already belong to ${MAX_TEAMS_PER_PERSON} teams, the most allowed. Leave one to create another.`;
  return asNewMembership(person.id, "create-team", tooMany, async () => {
    await claimSlug(team.slug, team.id);
    // Owner first, profile last: until the profile is written the team doesn't exist (findTeam), so a
    // crash in between leaves an invisible member row and a claim that frees itself, never a half team.
    await putItem(memberRow(team, person, "owner", team.createdAt));
    const made = await updateProfile(team.id, { team: { slug: team.slug } }, { create: { email: null, name: team.name, status: "active" } });
    if (!made) throw new AppError("unavailable", "The team could not be created. Try again.");
    await recordAudit({ type: "team.created", subject: { userId: team.id, email: null, team: team.slug }, after: { name: team.name, slug: team.slug } });
    return team;
  });
}

/** Renames a team: its profile and every member's copy of the name. */
export async function renameTeam(team: Team, name: string): Promise<Team> {
  return changeAccess(team.id, "rename-team", async () => {
    await updateProfile(team.id, { name });
    for (const member of await readMembers(team.id))
      await updateItem(
        memberKey(team.id, member.userId),
        { expression: "SET teamName = :name", values: { ":name": name } },
        { condition: { expression: "attribute_exists(pk)" } },
      ).catch(
        () => undefined, // removed meanwhile
      );
    await recordAudit({ type: "team.renamed", subject: { userId: team.id, email: null, team: team.slug }, before: { name: team.name }, after: { name } });
    return { ...team, name };
  });
}

/**
 * Sets whether the team requires rotating the keys a departing member saw (`grace`: how long the
 * old values keep working), or leaves it to whoever removes them (null). Under the team's lease,
 * so a removal reads the policy as it is when it runs.
 */
export async function setDeparturePolicy(team: Team, grace: GracePeriod | null): Promise<Team> {
  return changeAccess(
    team.id,
    "team-policy",
    async () => {
      await updateProfile(team.id, { team: { slug: team.slug, ...(grace ? { rotateOnDeparture: grace } : {}) } });
      await recordAudit({
        type: "team.policy-changed",
        subject: { userId: team.id, email: null, team: team.slug },
        before: { rotateOnDeparture: team.rotateOnDeparture ?? null },
        after: { rotateOnDeparture: grace },
      });
      const { rotateOnDeparture: _old, ...rest } = team;
      return { ...rest, ...(grace ? { rotateOnDeparture: grace } : {}) };
    },
    { changed: () => false },
  );
}

/**
 * Deletes a team that no longer holds access: its keys revoked and its subscriptions ended first
 * (so nothing in API Gateway is left without an owner). Every row of its partition goes (members,
 * invitations, reveal records, usage history, ended subscriptions) and its notices; its profile
 * becomes a tombstone. Its slug stays taken: a product shown to `team:<slug>` must never reach
 * whoever claims the name next.
 */
export async function deleteTeam(team: Team): Promise<void> {
  await changeAccess(team.id, "delete-team", async () => {
    const access = await readUserAccess(team.id);
    const live = access.keys.length + access.subscriptions.filter((s) => s.state === "active" || s.state === "pending").length;
    if (live > 0) {
      // A purchase's key and plan are AWS Marketplace's to end: the portal can't revoke them.
      const bought = access.subscriptions.some((s) => s.source === "marketplace" && s.state !== "ended" && s.state !== "failed");
      throw new AppError(
        "conflict",
        bought
          ? "The team holds an AWS Marketplace purchase: cancel it in AWS Marketplace (its key stops when that completes), revoke the team's other keys and end its subscriptions, then delete the team."
          : "Revoke the team's keys and end its subscriptions before deleting it.",
      );
    }
    const members = await eraseTeam(team);
    await recordAudit({
      type: "team.deleted",
      subject: { userId: team.id, email: null, team: team.slug },
      before: { name: team.name, members: members.length },
    });
  });
}

/**
 * The rows of a team whose keys are gone: every row of its partition (members, invitations, reveal
 * records, usage history, subscriptions) and its notices; its profile becomes a tombstone and its
 * slug stays claimed, marked deleted. Run under the team's lease; returns the members it had.
 */
export async function eraseTeam(team: Team): Promise<MemberRow[]> {
  const members = await readMembers(team.id);
  // An AWS Marketplace purchase the team held (ended by now) can be registered again, for whoever its buyer chooses.
  for (const sub of (await readUserAccess(team.id)).subscriptions) for (const customerKey of sub.customerKeys ?? []) await unbindCustomer(customerKey, team.id);
  const rows = await partitionKeys(team.id, { consistent: true });
  await deleteRows(rows.filter((r) => r.sk !== LOCK_SK && r.sk !== PROFILE_SK));
  await deleteRows(await partitionKeys(team.id, { partition: "notify" }));
  await markDeleted(team.id);
  await updateItem(
    teamSlugKey(team.slug),
    { expression: "SET deleted = :true", values: { ":true": true, ":id": team.id } },
    { condition: { expression: "teamId = :id" } },
  ).catch(() => undefined);
  return members;
}
