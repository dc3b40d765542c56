import { removeAccount, setKeysEnabled } from "../access/account";
import { leaveAllTeams } from "../teams/people";
import { revokeTeamTokensOf } from "../teams/tokens";
import { changeAccess } from "../access/profile";
import { recordAudit } from "../audit";
import { disableUser, enableUser, setAdmin, signOutEverywhere } from "../cognito";
import { getConfig } from "../config";
import { ADMIN_GROUP } from "../constants";
import { cognitoUsername, endAllSessions } from "../db/auth-rows";
import { conditionally, rowExists, updateItem } from "../db/items";
import { authUserKey } from "../db/keys";
import { getProfile, updateProfile, type Profile } from "../db/profiles";
import { AppError } from "../errors";
import { revokeAllTokens } from "../tokens";

/**
 * What an admin can do to a user. Each action is safe to repeat: a failure part-way leaves a
 * state that running the same action again finishes. Cognito is addressed by the user's sub
 * (lib/db/auth-rows.ts cognitoUsername), never by an email that may have moved to someone else.
 */

export type UserAction = "disable" | "enable" | "approve" | "grant-admin" | "remove-admin" | "revoke-sessions";

async function target(userId: string): Promise<Profile & { email: string; username: string }> {
  const profile = await getProfile(userId);
  if (!profile) throw new AppError("not_found", "There is no such user.");
  if (!profile.email) throw new AppError("conflict", "This user has no email address, so their sign-in account can't be found.");
  return { ...profile, email: profile.email, username: await cognitoUsername(userId, profile.email) };
}

/**
 * Ends every portal session (Auth.js rows), every Cognito session (refresh tokens, managed login)
 * and every portal token: whatever acted for the user must be made again by them.
 */
async function endSessions(userId: string, username: string, email: string): Promise<{ sessions: number; tokens: number }> {
  await signOutEverywhere(username);
  const sessions = await endAllSessions(userId);
  // Their team tokens act as them too: they go with their own.
  return { sessions, tokens: (await revokeAllTokens({ id: userId, email })) + (await revokeTeamTokensOf(userId)) };
}

/** The groups Auth.js reads into every session, so a change of role applies on the next request. */
async function setSessionGroups(userId: string, admin: boolean): Promise<void> {
  const update = admin
    ? { expression: "SET #groups = list_append(if_not_exists(#groups, :none), :admins)", values: { ":none": [], ":admins": [ADMIN_GROUP] } }
    : { expression: "SET #groups = :rest", values: { ":rest": [] } };
  // A user who never signed in has no row to update: their first sign-in reads Cognito's groups.
  await conditionally(updateItem(authUserKey(userId), { ...update, names: { "#groups": "groups" } }, { condition: rowExists }));
}

export async function applyUserAction(userId: string, action: UserAction, by: { id: string }): Promise<Profile> {
  const user = await target(userId);
  const self = userId === by.id;
  if (self && (action === "disable" || action === "remove-admin"))
    throw new AppError("conflict", "You can't do that to your own account: ask another administrator.");
  const before = { status: user.status, admin: user.admin };
  const subject = { userId, email: user.email };

  switch (action) {
    case "disable":
      // Sign-in first, so no new session starts while the rest happens; then sessions, then keys.
      await disableUser(user.username);
      await changeAccess(userId, "disable-user", async () => {
        await updateProfile(userId, { status: "disabled" });
        await endSessions(userId, user.username, user.email);
        await setKeysEnabled(userId, false);
      });
      break;
    case "enable":
      await changeAccess(userId, "enable-user", async () => {
        await setKeysEnabled(userId, true);
        await updateProfile(userId, { status: "active" });
      });
      await enableUser(user.username);
      break;
    case "approve":
      if (user.status !== "pending") throw new AppError("conflict", "This account isn't waiting for approval.");
      await updateProfile(userId, { status: "active" });
      break;
    case "grant-admin":
      await setAdmin(user.username, true);
      if (!user.admin) await setSessionGroups(userId, true);
      await updateProfile(userId, { admin: true });
      break;
    case "remove-admin":
      await setAdmin(user.username, false);
      await setSessionGroups(userId, false);
      await updateProfile(userId, { admin: false });
      break;
    case "revoke-sessions": {
      const ended = await endSessions(userId, user.username, user.email);
      await recordAudit({ type: "user.sessions-revoked", subject, after: ended });
      return (await getProfile(userId)) ?? user;
    }
  }
  const after = (await getProfile(userId)) ?? user;
  const type = {
    disable: "user.disabled",
    enable: "user.enabled",
    approve: "user.approved",
    "grant-admin": "user.admin-granted",
    "remove-admin": "user.admin-removed",
  }[action];
  await recordAudit({ type, subject, before, after: { status: after.status, admin: after.admin } });
  return after;
}

/** Deletes the user and everything they own, as "delete my account" does. */
export async function deleteUser(userId: string, by: { id: string }, confirmation: string): Promise<void> {
  if (userId === by.id) throw new AppError("conflict", "Delete your own account from your account page.");
  const user = await target(userId);
  if (confirmation.trim().toLowerCase() !== user.email.toLowerCase()) throw new AppError("bad_request", "Type the user's email address exactly to confirm.");
  await leaveAllTeams(userId, { byAdmin: true });
  await removeAccount({ id: userId, email: user.email, userPoolId: getConfig().COGNITO_USER_POOL_ID });
}
