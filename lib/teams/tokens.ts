import { changeAccess } from "../access/profile";
import { AppError } from "../errors";
import { createToken, readToken, revokeToken, type TokenCaller, type TokenScope, type TokenView } from "../tokens";
import { can, type TeamAction } from "./roles";
import { spaceFor, type Space } from "./space";
import { findTeamById } from "./store";
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
  const beyond = input.scopes.filter((scope) => !can(team.role, SCOPE_ACTIONS[scope]));
  if (beyond.length)
    throw new AppError(
      "forbidden",
      `As ${team.role === "admin" ? "an" : "a"} ${team.role} of ${team.name} you can't make a token that can ${beyond.map((s) => SCOPE_WORDS[s]).join(" or ")}.`,
    );
  // A disabled team can be looked at, not given new ways in (checked again under the lease).
  if (team.disabled) throw teamDisabled();
  return space.act(() =>
    changeAccess(
      team.id,
      "create-token",
      async () => {
        if ((await findTeamById(team.id))?.disabled) throw teamDisabled();
        return createToken(space.owner, input, new Date(), { createdBy: { id: person.id, email: person.email } });
      },
      { changed: () => false },
    ),
  );
}

const SCOPE_WORDS: Record<TokenScope, string> = { read: "read", manage: "manage keys and subscriptions", call: "call APIs" };

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

/** Whether a space is a team's (the token routes then use the team's tokens). */
export const isTeamSpace = (space: Space): space is TeamSpace => space.team !== undefined;
