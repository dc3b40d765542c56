import { dropAllAccess, setKeysEnabled } from "../access/account";
import { changeAccess } from "../access/profile";
import { readUserAccess } from "../access/rows";
import { recordAudit } from "../audit";
import { updateItem } from "../db/items";
import { isTeamId, memberKey } from "../db/keys";
import { readProfileRow, updateProfile } from "../db/profiles";
import { AppError } from "../errors";
import { teamSlugSchema } from "./inputs";
import { addMember } from "./members";
import { asNewMembership } from "./joining";
import { findTeam, findTeamById, readMember, type Team } from "./store";
import { eraseTeam, MAX_TEAMS_PER_PERSON, memberRow, type Person } from "./teams";

/**
 * What an administrator can do to a team (the admin console, app/api/admin/teams). Each change runs
 * under the team's lease, as its members' changes do, and is audited with the team as its subject
 * (the acting admin is the entry's actor). Each is safe to repeat: a failure part-way leaves a state
 * that running the same action again finishes.
 */

const subject = (team: Team) => ({ userId: team.id, email: null, team: team.slug });

/** The team an admin URL names: by id (`team_…`) or by slug. Disabled teams included; deleted ones are gone. */
export async function findTeamByRef(ref: string): Promise<Team | undefined> {
  if (isTeamId(ref)) return findTeamById(ref);
  const slug = teamSlugSchema.safeParse(ref);
  return slug.success ? findTeam(slug.data) : undefined;
}

export async function teamOrNotFound(ref: string): Promise<Team> {
  const team = await findTeamByRef(ref);
  if (!team) throw new AppError("not_found", "There is no such team.");
  return team;
}

/**
 * Disables a team, or enables it again. Disabled, its keys are off in API Gateway (as a disabled
 * person's are) and every change its members ask for is refused (lib/teams/space.ts); they can still
 * see it, and leave. Enabling turns back on the keys whose time isn't up and lets them act again.
 */
export async function setTeamDisabled(team: Team, disabled: boolean): Promise<Team> {
  return changeAccess(team.id, disabled ? "disable-team" : "enable-team", async () => {
    const before = (await readProfileRow(team.id))?.status;
    if (before !== "active" && before !== "disabled") throw new AppError("not_found", "There is no such team.");
    let keys: number;
    if (disabled) {
      // The standing first: from here on nothing can make or turn on a key; then the keys go off.
      await updateProfile(team.id, { status: "disabled" });
      keys = await setKeysEnabled(team.id, false);
    } else {
      keys = await setKeysEnabled(team.id, true);
      await updateProfile(team.id, { status: "active" });
    }
    const after = disabled ? "disabled" : "active";
    if (before !== after)
      await recordAudit({
        type: disabled ? "team.disabled" : "team.enabled",
        subject: subject(team),
        before: { status: before },
        after: { status: after, keys },
      });
    const { disabled: _was, ...rest } = team;
    return disabled ? { ...rest, disabled: true } : rest;
  });
}

/**
 * Deletes a team whatever it holds, as deleting a person does: its keys are deleted in API Gateway
 * (apps using them get 403), the AWS Marketplace purchases its subscriptions were bound to are freed
 * (the buyer can link them again; they are not cancelled in AWS Marketplace), then every row goes as
 * lib/teams deleteTeam removes them. The slug stays taken. `confirmation` must be the team's slug.
 */
export async function deleteTeamAsAdmin(team: Team, confirmation: string): Promise<void> {
  if (confirmation.trim().toLowerCase() !== team.slug) throw new AppError("bad_request", `Type the team's slug, ${team.slug}, exactly to confirm.`);
  await changeAccess(team.id, "admin-delete-team", async () => {
    const access = await readUserAccess(team.id);
    if (!access.profile || access.profile.status === "deleted") throw new AppError("not_found", "There is no such team.");
    await dropAllAccess(team.id, access);
    const members = await eraseTeam(team);
    await recordAudit({
      type: "team.deleted",
      subject: subject(team),
      before: {
        name: team.name,
        members: members.length,
        keys: access.keys.length,
        subscriptions: access.subscriptions.filter((s) => s.state === "active" || s.state === "pending").length,
        marketplace: access.subscriptions.some((s) => s.source === "marketplace"),
      },
    });
  });
}

/**
 * Makes `person` an owner of the team: a member is promoted, anyone else (an active account) joins
 * as an owner. The owners there were stay owners. This is how an admin gets a team going again
 * whose only owner left, or unblocks deleting a person who alone owns a team.
 */
export async function appointOwner(team: Team, person: Person): Promise<{ role: "owner"; previous: string | null }> {
  const profile = await readProfileRow(person.id);
  if (!profile || profile.team || profile.status === "deleted") throw new AppError("not_found", "There is no such person.");
  if (profile.status !== "active") throw new AppError("conflict", "That person's account isn't active, so they can't own the team.");
  const who = person.email ?? person.id;
  const appoint = (joining: boolean) =>
    changeAccess(team.id, "appoint-owner", async () => {
      // Deleted while this waited for the lease: nobody joins a team that is gone.
      const current = await findTeamById(team.id);
      if (!current) throw new AppError("not_found", "This team has been deleted.");
      const member = await readMember(team.id, person.id);
      if (member?.role === "owner") throw new AppError("conflict", `${who} already owns this team.`);
      if (member)
        await updateItem(memberKey(team.id, person.id), { expression: "SET #role = :owner", names: { "#role": "role" }, values: { ":owner": "owner" } });
      else if (!joining) throw new AppError("conflict", `${who} left the team meanwhile. Try again.`);
      else if (!(await addMember(memberRow(current, { id: person.id, email: profile.email, name: profile.name }, "owner"))))
        throw new AppError("conflict", `${who} joined the team meanwhile. Try again.`);
      await recordAudit({
        type: "team.owner-appointed",
        subject: subject(team),
        target: person.id,
        before: { role: member?.role ?? null },
        after: { role: "owner", email: profile.email },
      });
      return { id: team.id, role: "owner" as const, previous: member?.role ?? null };
    });
  // Someone new joins under their own lease too, as any joining does (lib/teams/joining.ts): the
  // team limit holds against their other joins, and an account being deleted never joins.
  const { role, previous } = (await readMember(team.id, person.id))
    ? await appoint(false)
    : await asNewMembership(person.id, "appoint-owner", `${who} already belongs to ${MAX_TEAMS_PER_PERSON} teams, the most allowed.`, () => appoint(true));
  return { role, previous };
}
