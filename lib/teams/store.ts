import { getItem, queryAll } from "../db/items";
import { readMembershipRows } from "../db/memberships";
import { isTeamId, MEMBER_PREFIX, memberKey, profileKey, REVEAL_PREFIX, TEAM_INVITE_PREFIX, teamSlugKey, userPk } from "../db/keys";
import type { Profile } from "../db/profiles";
import type { GracePeriod } from "../access/types";
import type { TeamRole } from "./roles";

/**
 * A team's rows (lib/db/keys.ts). A team is an owner of access like a person: its keys,
 * subscriptions, usage and profile live in a `USER#team_<id>` partition and go through lib/access
 * unchanged (the same limits, lease, reconciler, sweeper and invariants, per owner). Its members,
 * open invitations and key reveals sit beside them; each member row is also indexed under the
 * person (GSI1 MEMBEROF#<userId>), so "my teams" is one Query.
 */

export interface MemberRow {
  pk: string;
  sk: string;
  teamId: string;
  userId: string;
  email: string | null;
  name: string | null;
  role: TeamRole;
  joinedAt: string;
  /** Denormalized for the person's team list (one Query, no reads of each team). */
  teamName: string;
  teamSlug: string;
  GSI1PK: string;
  GSI1SK: string;
}

export interface InviteRow {
  pk: string;
  sk: string;
  teamId: string;
  inviteId: string;
  email: string;
  role: Exclude<TeamRole, "owner">;
  invitedBy: { userId: string; email: string | null };
  createdAt: string;
  expiresAt: string;
  /** SHA-256 of the link's secret: the link itself is only ever in the invitee's mail and the inviter's screen. */
  secretHash: string;
  /** Times sent (the first and each resend, which makes a new secret). */
  sent: number;
  /** DynamoDB TTL: gone a week after it expired. */
  expires: number;
}

export interface RevealRow {
  pk: string;
  sk: string;
  teamId: string;
  keyId: string;
  userId: string;
  email: string | null;
  firstAt: string;
  lastAt: string;
  count: number;
  /** They have left the team (or been removed) and the key wasn't rotated since: an owner may still rotate it. */
  former?: boolean;
}

export interface Team {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
  /** An administrator disabled it (lib/teams/admin.ts): its keys are off and its members may only look. */
  disabled?: true;
  /** Its owners require that the keys someone leaving (or removed) saw are rotated, the old values working this long. */
  rotateOnDeparture?: GracePeriod;
}

export const teamOf = (profile: Profile): Team => ({
  id: profile.userId,
  slug: profile.team!.slug,
  name: profile.name ?? profile.team!.slug,
  createdAt: profile.joinedAt,
  ...(profile.status === "disabled" ? { disabled: true as const } : {}),
  ...(profile.team!.rotateOnDeparture ? { rotateOnDeparture: profile.team!.rotateOnDeparture } : {}),
});

/** A team's profile that isn't a tombstone: active, or disabled by an administrator. */
export const isLiveTeam = (profile: Profile | undefined): profile is Profile & { team: { slug: string } } =>
  !!profile?.team && (profile.status === "active" || profile.status === "disabled");

/** The team with this slug, unless it is gone. */
export async function findTeam(slug: string): Promise<Team | undefined> {
  const claim = await getItem<{ teamId: string }>(teamSlugKey(slug), { consistent: true });
  if (!claim) return undefined;
  const team = await findTeamById(claim.teamId);
  return team?.slug === slug ? team : undefined;
}

/** The team with this id, unless it is gone (or the id isn't a team's). A disabled team is still there (`disabled`). */
export async function findTeamById(teamId: string): Promise<Team | undefined> {
  if (!isTeamId(teamId)) return undefined;
  const profile = await getItem<Profile>(profileKey(teamId), { consistent: true });
  return isLiveTeam(profile) ? teamOf(profile) : undefined;
}

export const readMember = (teamId: string, userId: string) => getItem<MemberRow>(memberKey(teamId, userId), { consistent: true });

const rowsWith = <T>(teamId: string, prefix: string) =>
  queryAll<T>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": userPk(teamId), ":prefix": prefix },
    ConsistentRead: true,
  });

export const readMembers = (teamId: string) => rowsWith<MemberRow>(teamId, MEMBER_PREFIX);
export const readInvites = (teamId: string) => rowsWith<InviteRow>(teamId, TEAM_INVITE_PREFIX);
export const readReveals = (teamId: string) => rowsWith<RevealRow>(teamId, REVEAL_PREFIX);

/** The teams a person belongs to, with their role in each (GSI1: eventually consistent, as a list may be). */
export const readMemberships = (userId: string): Promise<MemberRow[]> => readMembershipRows<MemberRow>(userId);
