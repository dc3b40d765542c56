import { getItem } from "../db/items";
import { profileKey, teamSlugKey } from "../db/keys";
import type { Profile } from "../db/profiles";
import { listTokens } from "../tokens";
import { isLiveTeam, readInvites, readMembers, readMemberships, readReveals } from "./store";

/**
 * What must hold of a team after any sequence of membership changes, concurrent or not, once each
 * has returned (its access — keys, plans, limits — is lib/access/invariants.ts's, per owner, as for
 * a person). tests/teams/model.test.ts checks them after every step of random sequences.
 *
 *   has-an-owner        a live team has at least one owner
 *   members-indexed     each member row is indexed under its person (GSI1 MEMBEROF#<userId>) with
 *                       the team's current name and slug, so "my teams" lists exactly the teams
 *                       a person is in
 *   slug-claimed        a live team's slug claim names it
 *   reveals-by-members  every record of who saw a key names a current member, or is marked as a
 *                       former member's (kept until the key is rotated)
 *   tokens-by-members   every team portal token names a current member as its maker (a token acts
 *                       as its maker: one who left has had theirs revoked)
 *   deleted-leaves-none a deleted team has no members, invitations, reveal records or tokens; its slug stays
 *                       claimed by it, marked deleted (never handed to whoever asks next)
 */
export type TeamInvariant = "has-an-owner" | "members-indexed" | "slug-claimed" | "reveals-by-members" | "tokens-by-members" | "deleted-leaves-none";
export interface TeamViolation {
  invariant: TeamInvariant;
  detail: string;
}

export async function teamViolations(teamId: string, people: string[] = []): Promise<TeamViolation[]> {
  const violations: TeamViolation[] = [];
  const fail = (invariant: TeamInvariant, detail: string) => violations.push({ invariant, detail });
  const [profile, members, invites, reveals, tokens] = await Promise.all([
    getItem<Profile>(profileKey(teamId), { consistent: true }),
    readMembers(teamId),
    readInvites(teamId),
    readReveals(teamId),
    listTokens(teamId),
  ]);
  // A team an administrator disabled is still a team (its keys being off is lib/access's disabled-keys).
  const live = isLiveTeam(profile);
  if (!live) {
    if (members.length + invites.length + reveals.length + tokens.length > 0)
      fail("deleted-leaves-none", `${members.length} members, ${invites.length} invitations, ${reveals.length} reveal records, ${tokens.length} tokens remain`);
    const claim = profile?.team && (await getItem<{ teamId: string; deleted?: boolean }>(teamSlugKey(profile.team.slug), { consistent: true }));
    if (claim && (claim.teamId !== teamId || !claim.deleted))
      fail("deleted-leaves-none", `the slug ${profile!.team!.slug} is ${claim.teamId !== teamId ? "someone else's" : "not marked deleted"}`);
    return violations;
  }
  const slug = profile.team!.slug;
  if (!members.some((m) => m.role === "owner"))
    fail("has-an-owner", `no owner among ${members.map((m) => `${m.userId}:${m.role}`).join(", ") || "no members"}`);
  const claim = await getItem<{ teamId: string }>(teamSlugKey(slug), { consistent: true });
  if (claim?.teamId !== teamId) fail("slug-claimed", `the slug ${slug} names ${claim?.teamId ?? "nothing"}`);
  for (const m of members) {
    if (m.GSI1PK !== `MEMBEROF#${m.userId}` || m.GSI1SK !== teamId) fail("members-indexed", `${m.userId}'s row is indexed as ${m.GSI1PK}/${m.GSI1SK}`);
    if (m.teamName !== profile.name || m.teamSlug !== slug) fail("members-indexed", `${m.userId}'s row names the team ${m.teamName} (${m.teamSlug})`);
  }
  // "My teams" for everyone who is or was involved (the GSI is eventually consistent on DynamoDB; dynalite's is immediate).
  for (const person of new Set([...people, ...members.map((m) => m.userId)])) {
    const listed = (await readMemberships(person)).some((m) => m.teamId === teamId);
    const member = members.some((m) => m.userId === person);
    if (listed !== member) fail("members-indexed", `${person} is ${member ? "" : "not "}a member but "my teams" ${listed ? "lists" : "doesn't list"} the team`);
  }
  const ids = new Set(members.map((m) => m.userId));
  for (const reveal of reveals)
    if (!ids.has(reveal.userId)) fail("reveals-by-members", `${reveal.userId}, no longer a member, is recorded as having seen ${reveal.keyId}`);
  for (const token of tokens)
    if (!token.createdBy || !ids.has(token.createdBy.id))
      fail("tokens-by-members", `token ${token.id} was made by ${token.createdBy?.id ?? "nobody"}, not a member`);
  return violations;
}
