/** The Cognito group whose members are the portal's administrators. */
export const ADMIN_GROUP = "admins";
