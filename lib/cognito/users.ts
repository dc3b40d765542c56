import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { getConfig } from "../config";
import { ADMIN_GROUP } from "../constants";
import { cognito } from "./client";
import { isUserNotFound, toAppError } from "./errors";

/**
 * The user pool's administration, one verb per call. `username` is the Cognito username: the sub in
 * a pool that signs in by email (an email is only an alias there, which can move to another
 * account), or the email of someone who never signed in. Failures reach callers as AppError (errors.ts).
 */

const userPool = () => getConfig().COGNITO_USER_POOL_ID;

/** One admin call on a user who may be gone already: then there is nothing left to change. */
async function onUser(send: () => Promise<unknown>, failure: string): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!isUserNotFound(error)) throw toAppError(error, failure);
  }
}

export function disableUser(username: string): Promise<void> {
  return onUser(
    () => cognito.send(new AdminDisableUserCommand({ UserPoolId: userPool(), Username: username })),
    "Couldn't disable the sign-in account in Cognito. Try again in a moment.",
  );
}

export function enableUser(username: string): Promise<void> {
  return onUser(
    () => cognito.send(new AdminEnableUserCommand({ UserPoolId: userPool(), Username: username })),
    "Couldn't enable the sign-in account in Cognito. Try again in a moment.",
  );
}

/** Ends every Cognito session of the user: refresh tokens and the managed login's. */
export function signOutEverywhere(username: string): Promise<void> {
  return onUser(
    () => cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPool(), Username: username })),
    "Couldn't sign them out in Cognito. Try again in a moment.",
  );
}

/** Adds the user to the admins group, or takes them out of it. */
export function setAdmin(username: string, admin: boolean): Promise<void> {
  const input = { UserPoolId: userPool(), Username: username, GroupName: ADMIN_GROUP };
  return admin
    ? onUser(() => cognito.send(new AdminAddUserToGroupCommand(input)), "Couldn't add them to the admins group in Cognito. Try again in a moment.")
    : onUser(() => cognito.send(new AdminRemoveUserFromGroupCommand(input)), "Couldn't remove them from the admins group in Cognito. Try again in a moment.");
}

/** Deletes the sign-in account (one already gone is fine). `pool`: the user pool, when the caller names it. */
export function deleteUser(username: string, pool = userPool()): Promise<void> {
  return onUser(
    () => cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: username })),
    "Couldn't delete the sign-in account in Cognito. Try again in a moment.",
  );
}

/** The account's state (FORCE_CHANGE_PASSWORD until an invited user sets a password), or undefined when there is none. */
export async function getUser(username: string): Promise<{ status?: string } | undefined> {
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPool(), Username: username }));
    return { ...(user.UserStatus ? { status: user.UserStatus } : {}) };
  } catch (error) {
    if (isUserNotFound(error)) return undefined;
    throw toAppError(error, "Cognito couldn't be reached. Try again in a moment.");
  }
}

export type CognitoStanding = { state: "deleted" } | { state: "disabled" } | { state: "active"; groups: string[] };

/** What Cognito says about the user now (two reads: the user, then their groups, sorted). */
export async function readStanding(username: string): Promise<CognitoStanding> {
  const pool = userPool();
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
    if (user.Enabled === false) return { state: "disabled" };
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: username, Limit: 60, NextToken }));
      groups.push(...(page.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])));
      NextToken = page.NextToken;
    } while (NextToken);
    return { state: "active", groups: groups.sort() };
  } catch (error) {
    if (isUserNotFound(error)) return { state: "deleted" };
    throw toAppError(error, "Cognito couldn't be reached. Try again in a moment.");
  }
}

/** Creates an invited person's sign-in account; Cognito e-mails them a temporary password. */
export async function sendInvitation(email: string, name?: string): Promise<void> {
  const attributes = [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }, ...(name ? [{ Name: "name", Value: name }] : [])];
  try {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPool(), Username: email, UserAttributes: attributes, DesiredDeliveryMediums: ["EMAIL"] }));
  } catch (error) {
    throw toAppError(error, "Cognito couldn't send the invitation. Nothing was changed — try again in a moment.", {
      UsernameExistsException: `${email} already has an account.`,
    });
  }
}

/** Sends the invitation e-mail again (a new temporary password), while it hasn't been accepted. */
export async function resendInvitation(email: string): Promise<void> {
  try {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPool(), Username: email, MessageAction: "RESEND", DesiredDeliveryMediums: ["EMAIL"] }));
  } catch (error) {
    throw toAppError(error, "Cognito couldn't resend the invitation. Try again in a moment.", {
      UnsupportedUserStateException: "They have already set their password: the invitation was accepted.",
      UserNotFoundException: "Their sign-in account no longer exists. Cancel this invitation and invite them again.",
    });
  }
}
