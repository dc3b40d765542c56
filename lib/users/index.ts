export { applyUserAction, deleteUser, type UserAction } from "./admin";
export { allProfiles, forgetDirectory, listUsers, type UserList, type UserListQuery } from "./directory";
export { adminInputs } from "./inputs";
export { getOverview, NEAR_QUOTA, summarize, type Overview } from "./overview";
export { getProfile, type AccountStatus, type Profile } from "./profile";
export { admitNewUser, cancelInvite, getRegistrationMode, inviteUser, listInvites, REGISTRATION_MODES, resendInvite, selfSignUpAllowed, setRegistrationMode, type Invite, type RegistrationMode } from "./registration";
