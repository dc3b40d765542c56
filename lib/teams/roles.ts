/**
 * What each role in a team may do (no imports: client components read it too). One table, read by every team route (lib/teams/space.ts) and
 * by the authorization tests, so a role's reach is written down once.
 */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type TeamRole = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** See the team: its keys (names, never values), plans, usage, members. */
  view: ["owner", "admin", "member", "viewer"],
  /** Reveal a key's value to call the API with it (each reveal audited). */
  reveal: ["owner", "admin", "member"],
  /** Create, rename, rotate and revoke keys; subscribe and unsubscribe. */
  manageAccess: ["owner", "admin"],
  /** Invite people (as admin, member or viewer), resend and revoke invitations. */
  invite: ["owner", "admin"],
  /** Change roles, remove members, make owners, rename or delete the team. */
  manageTeam: ["owner"],
} as const satisfies Record<string, readonly TeamRole[]>;
export type TeamAction = keyof typeof PERMISSIONS;

export const can = (role: TeamRole, action: TeamAction): boolean => (PERMISSIONS[action] as readonly TeamRole[]).includes(role);

/** Roles an action by `role` may hand out: admins invite below themselves, owners anyone. */
export const assignableBy = (role: TeamRole): TeamRole[] => (role === "owner" ? [...ROLES] : role === "admin" ? ["admin", "member", "viewer"] : []);

export const ROLE_LABELS: Record<TeamRole, string> = {
  owner: "Owner: everything, including members and deleting the team",
  admin: "Admin: keys, subscriptions and invitations",
  member: "Member: uses the team's keys and sees usage",
  viewer: "Viewer: sees usage and docs only",
};
