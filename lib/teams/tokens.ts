import { changeAccess } from "../access/profile";
import { AppError } from "../errors";
import { createToken, listTokens, readToken, revokeToken, revokeTokensMadeBy, type TokenCaller, type TokenScope, type TokenView } from "../tokens";
import { can, type TeamAction, type TeamRole } from "./roles";
import { spaceFor, type Space } from "./space";
import { findTeamById, readMember, readMemberships } from "./store";
import { teamDisabled, type Person } from "./teams";

/**
 * A team's portal tokens: scripts and agents acting for the team. A token is made by a member and
 * acts as that member acting for the team, so it never does more than they may do now: each scope
 * needs a role that allows it when the token is made, and again on every use (a role taken away
 * narrows their tokens at once; leaving or removal revokes them).
 */

/** What each scope does in a team's space, in the role table's words. */
export const SCOPE_ACTIONS: Record<TokenScope, TeamAction> = { read: "view", manage: "manageAccess", call: "reveal" };

/** The space a token request acts in: its maker's own, or the team's, checked against their role now. */
export const tokenSpace = (caller: Pick<TokenCaller, "user" | "team">, scope: TokenScope): Promise<Space> =>
  spaceFor(caller.user, caller.team, SCOPE_ACTIONS[scope]);

type TeamSpace = Space & { team: NonNullable<Space["team"]> };

/** Makes a token for the team (its value is in this answer only), under the team's lease so a removal can't miss it. */
export async function createTeamToken(
  space: TeamSpace,
  person: Person,
  input: { name: string; scopes: TokenScope[]; expiresInDays: number },
): Promise<{ token: TokenView; value: string }> {
  const { team } = space;
  assertScopesAllowed(team, team.role, input.scopes);
  // A disabled team can be looked at, not given new ways in.
  if (team.disabled) throw teamDisabled();
  return space.act(() =>
    changeAccess(
      team.id,
      "create-token",
      async () => {
        // As things are now: disabled, or their role changed, while this waited for the lease.
        if ((await findTeamById(team.id))?.disabled) throw teamDisabled();
        const member = await readMember(team.id, person.id);
        if (!member) throw new AppError("not_found", `No team "${team.slug}" that you belong to.`);
        assertScopesAllowed(team, member.role, input.scopes);
        return createToken(space.owner, input, new Date(), { createdBy: { id: person.id, email: person.email } });
      },
      { changed: () => false },
    ),
  );
}

function assertScopesAllowed(team: { name: string }, role: TeamRole, scopes: TokenScope[]): void {
  const beyond = scopes.filter((scope) => !can(role, SCOPE_ACTIONS[scope]));
  if (beyond.length)
    throw new AppError(
      "forbidden",
      `As ${role === "admin" ? "an" : "a"} ${role} of ${team.name} you can't make a token that can ${beyond.map((s) => SCOPE_WORDS[s]).join(" or ")}.`,
    );
}

const SCOPE_WORDS: Record<TokenScope, string> = { read: "read", manage: "manage keys and subscriptions", call: "call APIs" };

/** The team's tokens as `person` may see them: where others' tokens were last used from is for those who manage the team's access. */
export async function listTeamTokens(space: TeamSpace, person: Person): Promise<TokenView[]> {
  const manager = can(space.team.role, "manageAccess");
  return (await listTokens(space.owner.id)).map((token) => {
    if (manager || token.createdBy?.id === person.id) return token;
    const { lastUsedIp: _hidden, ...rest } = token;
    return rest;
  });
}

/** Revokes one of the team's tokens: its maker may, and so may whoever manages the team's access. */
export async function revokeTeamToken(space: TeamSpace, person: Person, tokenId: string): Promise<void> {
  const token = await readToken(space.owner.id, tokenId);
  if (!token) throw new AppError("not_found", "That token has already been revoked.");
  if (token.createdBy?.id !== person.id && !can(space.team.role, "manageAccess"))
    throw new AppError(
      "forbidden",
      `As ${space.team.role === "admin" ? "an" : "a"} ${space.team.role} of ${space.team.name} you can revoke only the tokens you made.`,
    );
  await revokeToken(space.owner, tokenId);
}

/**
 * Revokes every team token `personId` made, in each team they are in (an administrator ending
 * their sessions or disabling them: their team tokens act as them, so they go with their own).
 * Each team's under its lease, so a token being made at that moment is revoked too or made after.
 */
export async function revokeTeamTokensOf(personId: string): Promise<number> {
  let revoked = 0;
  for (const membership of await readMemberships(personId)) {
    const team = await findTeamById(membership.teamId);
    if (team) revoked += (await changeAccess(team.id, "revoke-member-tokens", () => revokeTokensMadeBy(team, personId), { changed: () => false })).length;
  }
  return revoked;
}

/** Whether a space is a team's (the token routes then use the team's tokens). */
export const isTeamSpace = (space: Space): space is TeamSpace => space.team !== undefined;
