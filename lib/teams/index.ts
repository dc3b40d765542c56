export {
  changeRoleInput,
  createTeamInput,
  inviteAnswerInput,
  inviteInput,
  inviteTokenInput,
  personId,
  removeMemberInput,
  teamSettingsInput,
  rotateSeenInput,
  teamSlugSchema,
  transferInput,
} from "./inputs";
export { acceptInvite, answeredToken, declineInvite, invite, listInvites, openInvite, resendInvite, revokeInvite, type InviteView } from "./invites";
export { INVITE_COOKIE, INVITE_COOKIE_SECONDS, INVITE_LANDING } from "./invite-link";
export { changeRole, removeMember, revealTeamKey, rotateSeenByFormerMembers, transferOwnership, type Removal } from "./members";
export { assignableBy, can, PERMISSIONS, ROLE_LABELS, ROLES, type TeamAction, type TeamRole } from "./roles";
export { keyHolderFor, spaceFor, type Space } from "./space";
export { findTeam, findTeamById, readMembers, readMemberships, readReveals, type MemberRow, type Team } from "./store";
export { createTeam, deleteTeam, MAX_TEAMS_PER_PERSON, renameTeam, setDeparturePolicy, type Person } from "./teams";
export { leaveAllTeams, teamsOwnedAlone } from "./people";
export { appointOwner, deleteTeamAsAdmin, findTeamByRef, setTeamDisabled, teamOrNotFound } from "./admin";
export { createTeamToken, isTeamSpace, listTeamTokens, revokeTeamToken, revokeTeamTokensOf, SCOPE_ACTIONS, tokenSpace } from "./tokens";
export { teamViolations, type TeamInvariant, type TeamViolation } from "./invariants";
