import { AppError } from "../errors";
import { removeMember } from "./members";
import { findTeamById, readMembers, readMemberships } from "./store";

/**
 * A person leaving the portal leaves their teams first. A team they alone own would be left with
 * no one to run it (and keys no one can rotate), so deleting such an account is refused until the
 * team is handed over or deleted.
 */
export async function leaveAllTeams(userId: string): Promise<void> {
  const memberships = await readMemberships(userId);
  const soleOwner: string[] = [];
  for (const membership of memberships) {
    if (membership.role !== "owner") continue;
    const owners = (await readMembers(membership.teamId)).filter((m) => m.role === "owner");
    if (owners.length === 1) soleOwner.push(membership.teamName);
  }
  if (soleOwner.length > 0)
    throw new AppError(
      "conflict",
      `Hand over or delete ${soleOwner.length === 1 ? "the team" : "the teams"} you alone own first: ${soleOwner.join(", ")}. Make another member an owner on the team's page.`,
    );
  for (const membership of memberships) {
    const team = await findTeamById(membership.teamId);
    // The team's lease serializes this with any change there (a role change racing the deletion is refused as usual).
    if (team) await removeMember(team, userId, { rotateRevealed: false, grace: "24h", leaving: true });
  }
}
