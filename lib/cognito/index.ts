export {
  deleteUser,
  disableUser,
  enableUser,
  getUser,
  readStanding,
  resendInvitation,
  sendInvitation,
  setAdmin,
  signOutEverywhere,
  type CognitoStanding,
} from "./users";
