export { applyUserAction, deleteUser, type UserAction } from "./admin";
export {
  allProfiles,
  findPersonByEmail,
  forgetDirectory,
  listTeams,
  listUsers,
  type TeamList,
  type TeamListQuery,
  type UserList,
  type UserListQuery,
} from "./directory";
export { REGISTRATION_MODES, type RegistrationMode } from "./input-rules";
export { adminInputs } from "./inputs";
export { getOverview, NEAR_QUOTA, summarize, type Overview } from "./overview";
export { getProfile, type AccountStatus, type Profile } from "../db/profiles";
export {
  admitNewUser,
  cancelInvite,
  getRegistrationMode,
  inviteUser,
  listInvites,
  resendInvite,
  selfSignUpAllowed,
  setRegistrationMode,
  type Invite,
} from "./registration";
