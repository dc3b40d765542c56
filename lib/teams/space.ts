import { guarded } from "../access/guard";
import type { AccessUser } from "../access/keys";
import type { Viewer } from "../catalog/types";
import { AppError } from "../errors";
import { teamSlugSchema } from "./inputs";
import { can, type TeamAction, type TeamRole } from "./roles";
import { recordShown } from "./members";
import { findTeam, findTeamById, readMember, type Team } from "./store";
import { assertActive, teamDisabled, type Person } from "./teams";

/**
 * Whose keys a request is about: the person's own (no team named) or a team's they belong to.
 * Every route that reads or changes access resolves its space here, with the action it is about
 * to take, so a role's reach (roles.ts) is checked in one place and refusals read the same.
 */
export interface Space {
  /** The owner lib/access acts for: the person, or the team (named and tagged after it in API Gateway). */
  owner: AccessUser;
  /** Set when acting for a team: which, and the person's role in it. */
  team?: Team & { role: TeamRole };
  /**
   * Who the catalog sees when this space subscribes: the person with their own groups but none of
   * their teams (a product for team:<slug> is the team's to hold, not each member's), or the team
   * with its slug only (a member's Cognito groups don't extend to the team).
   */
  viewer: Viewer;
  /**
   * Runs a change for this space: for a team, the person's role is checked again under the team's
   * lease (as it is now, not as it was when the request came in), and any key value the change
   * shows them is recorded as seen by them.
   */
  act<T>(work: () => Promise<T>): Promise<T>;
}

const ACTION_WORDS: Record<TeamAction, string> = {
  view: "see this team's keys and usage",
  reveal: "see the team's key values",
  manageAccess: "change the team's keys or subscriptions",
  invite: "invite people to the team",
  manageTeam: "manage the team's members or settings",
};

const refusal = (role: TeamRole, team: string, action: TeamAction) =>
  new AppError("forbidden", `As ${role === "admin" ? "an" : "a"} ${role} of ${team} you can't ${ACTION_WORDS[action]}. Ask an owner.`);

/** The space `teamSlug` names for `person` (their own when absent), if their role allows `action`. */
export async function spaceFor(person: Person & { groups?: string[] }, teamSlug: string | null | undefined, action: TeamAction): Promise<Space> {
  if (teamSlug === null || teamSlug === undefined || teamSlug === "")
    return {
      owner: { id: person.id, email: person.email },
      viewer: { isAdmin: false, user: { id: person.id, groups: person.groups ?? [] }, teams: [] },
      act: (work) => work(),
    };
  const slug = teamSlugSchema.safeParse(teamSlug);
  if (!slug.success) throw new AppError("bad_request", slug.error.issues[0]?.message ?? "That is not a team's slug.");
  const team = await findTeam(slug.data);
  // Not telling strangers which teams exist: the same answer for "no such team" and "not yours".
  const member = team && (await readMember(team.id, person.id));
  if (!team || !member) throw new AppError("not_found", `No team "${slug.data}" that you belong to.`);
  if (!can(member.role, action)) throw refusal(member.role, team.name, action);
  // A team an administrator disabled can be looked at (and left), nothing more.
  if (action !== "view" && team.disabled) throw teamDisabled();
  if (action !== "view") await assertActive(person);
  const guard = {
    ownerId: team.id,
    check: async () => {
      const now = await readMember(team.id, person.id);
      if (!now) throw new AppError("not_found", `No team "${slug.data}" that you belong to.`);
      if (!can(now.role, action)) throw refusal(now.role, team.name, action);
      // Disabled while the request waited for the lease: refused as if it had been disabled first.
      if (action !== "view" && (await findTeamById(team.id))?.disabled) throw teamDisabled();
    },
    shown: (keyId: string) => recordShown(team, keyId, person),
  };
  return {
    owner: { id: team.id, email: null, team: { slug: team.slug } },
    team: { ...team, role: member.role },
    viewer: { isAdmin: false, user: { id: team.id, groups: [] }, teams: [team.slug] },
    act: (work) => guarded(guard, work),
  };
}

/**
 * Who calls an API with this space's keys (try-it, MCP's call_operation): in a team's space the
 * team itself (its keys, the products it may see); in their own, the person as they are.
 */
export function keyHolderFor<P extends { user: { id: string; email: string | null; groups: string[] }; isAdmin: boolean }>(
  space: Space,
  person: P,
): P | { isAdmin: false; user: { id: string; email: null; groups: string[] }; teams: string[]; team: string; person: string } {
  if (!space.team) return person;
  // Limits stay the person's: one member's agent doesn't spend the others'.
  return { isAdmin: false, user: { id: space.owner.id, email: null, groups: [] }, teams: [space.team.slug], team: space.team.slug, person: person.user.id };
}
