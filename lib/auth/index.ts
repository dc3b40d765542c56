export { auth, handlers, signIn, signOut } from "./auth";
export { ADMIN_GROUP, assertCaller, getCaller, requireAdmin, requireUser, type Caller } from "./caller";
export { cognitoLogoutUrl, toSignUpUrl } from "./cognito-urls";
export { safeReturnPath, signInPath } from "./urls";
