export {
  changeRoleInput,
  createTeamInput,
  inviteInput,
  inviteTokenInput,
  personId,
  removeMemberInput,
  renameTeamInput,
  rotateSeenInput,
  teamSlugSchema,
  transferInput,
} from "./inputs";
export { acceptInvite, declineInvite, invite, listInvites, openInvite, resendInvite, revokeInvite, type InviteView } from "./invites";
export { changeRole, removeMember, revealTeamKey, rotateSeenByFormerMembers, transferOwnership, type Removal } from "./members";
export { assignableBy, can, PERMISSIONS, ROLE_LABELS, ROLES, type TeamAction, type TeamRole } from "./roles";
export { spaceFor, type Space } from "./space";
export { findTeam, readMembers, readMemberships, readReveals, type MemberRow, type Team } from "./store";
export { createTeam, deleteTeam, MAX_TEAMS_PER_PERSON, renameTeam, type Person } from "./teams";
export { leaveAllTeams } from "./people";
export { teamViolations, type TeamInvariant, type TeamViolation } from "./invariants";
