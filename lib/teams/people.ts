import { AppError } from "../errors";
import { removeMember } from "./members";
import { findTeamById, readMembers, readMemberships, type MemberRow } from "./store";

/**
 * A person leaving the portal leaves their teams first. A team they alone own would be left with
 * no one to run it (and keys no one can rotate), so deleting such an account is refused until the
 * team is handed over or deleted.
 */
export async function leaveAllTeams(userId: string, options: { byAdmin?: boolean } = {}): Promise<void> {
  const memberships = await readMemberships(userId);
  const soleOwner = await teamsOwnedAlone(userId, memberships);
  const teams = soleOwner.length === 1 ? "the team" : "the teams";
  const names = soleOwner.map((m) => m.teamName).join(", ");
  if (soleOwner.length > 0)
    throw new AppError(
      "conflict",
      options.byAdmin
        ? `Hand over or delete ${teams} this user alone owns first: ${names}. On ${soleOwner.length === 1 ? "the team's" : "each team's"} page in Admin → Teams, make someone else an owner, or delete the team.`
        : `Hand over or delete ${teams} you alone own first: ${names}. Make another member an owner on the team's page.`,
    );
  for (const membership of memberships) {
    const team = await findTeamById(membership.teamId);
    // The team's lease serializes this with any change there (a role change racing the deletion is refused as usual).
    if (team) await removeMember(team, userId, { rotateRevealed: false, grace: "24h", leaving: true });
  }
}

/** The teams `userId` is the only owner of (deleting them is refused until each is handed over or deleted). */
export async function teamsOwnedAlone(userId: string, memberships?: MemberRow[]): Promise<MemberRow[]> {
  const alone: MemberRow[] = [];
  for (const membership of memberships ?? (await readMemberships(userId))) {
    if (membership.role !== "owner") continue;
    const owners = (await readMembers(membership.teamId)).filter((m) => m.role === "owner");
    if (owners.length === 1) alone.push(membership);
  }
  return alone;
}
