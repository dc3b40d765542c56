import { AdminGetUserCommand, AdminListGroupsForUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Adapter } from "next-auth/adapters";
import { recordAudit, type Actor } from "../audit";
import { cognito } from "../cognito/client";
import { getConfig } from "../config";
import { ADMIN_GROUP } from "../constants";
import { db } from "../db/client";
import { tableName } from "../db/table";
import { cognitoUsername } from "../users/cognito-account";
import { updateProfile } from "../users/profile";
import { endAllSessions } from "./sessions";

/**
 * Live sessions follow changes made directly in Cognito (the console, `aws cognito-idp …`): a user
 * disabled or deleted there loses every session, and group changes (the admins group) apply, within
 * `COGNITO_RECHECK_MS` of their next request. Changes the portal makes itself apply at once (they
 * write the same rows). The check costs two Cognito reads per active user per interval, never one
 * per request: a conditional write on the user's row lets one request per interval claim it.
 */
export const COGNITO_RECHECK_MS = 5 * 60_000;
/** After Cognito failed to answer, try again this soon (the session keeps what it had meanwhile). */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Changes found this way were made in Cognito, not by anyone in the portal. */
const COGNITO: Actor = { kind: "system", id: "cognito" };

/** The user row as Auth.js's adapter reads it, plus the fields this module keeps there. */
export interface SessionUser {
  id: string;
  email?: string | null;
  groups?: string[];
  cognitoCheckedAt?: number;
}

export type CognitoStanding = { state: "deleted" } | { state: "disabled" } | { state: "active"; groups: string[] };

/**
 * What Cognito says about the user now (two reads: the user, then their groups). `username` is the
 * Cognito username — the sub in a pool that signs in by email; an email address is only an alias,
 * which changes when the address does and may then name someone else.
 */
export async function readCognitoStanding(username: string): Promise<CognitoStanding> {
  const pool = getConfig().COGNITO_USER_POOL_ID;
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
    if ((error as Error).name === "UserNotFoundException") return { state: "deleted" };
    throw error;
  }
}

/** Claims this interval's check for the user; false when another request already did (or it isn't due). */
async function claimCheck(userId: string, now: number, checkedAt: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `USER#${userId}`, sk: `USER#${userId}` },
        UpdateExpression: "SET cognitoCheckedAt = :now",
        // Only the request that saw the same stale value wins; a deleted user row is not recreated.
        ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(cognitoCheckedAt) OR cognitoCheckedAt = :seen)",
        ExpressionAttributeValues: { ":now": now, ":seen": checkedAt },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

async function setCheckedAt(userId: string, at: number, groups?: string[]): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `USER#${userId}`, sk: `USER#${userId}` },
      UpdateExpression: groups ? "SET cognitoCheckedAt = :at, #groups = :groups" : "SET cognitoCheckedAt = :at",
      ConditionExpression: "attribute_exists(pk)",
      ...(groups ? { ExpressionAttributeNames: { "#groups": "groups" } } : {}),
      ExpressionAttributeValues: { ":at": at, ...(groups ? { ":groups": groups } : {}) },
    }),
  );
}

const sameGroups = (a: string[] = [], b: string[] = []) => [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Called with the user behind a session each time Auth.js loads one: returns the user as Cognito
 * has them now (groups refreshed), or null when their sessions have ended. Between checks, and for
 * a user with no Cognito account linked, it returns the user unchanged. Cognito is asked by the
 * user's sub, never their email (an alias that can move to another account).
 */
export async function followCognito<U extends SessionUser>(user: U, now = Date.now()): Promise<U | null> {
  const checkedAt = Number(user.cognitoCheckedAt ?? 0);
  if (now - checkedAt < COGNITO_RECHECK_MS) return user;
  if (!(await claimCheck(user.id, now, user.cognitoCheckedAt ?? 0))) return user;
  const username = await cognitoUsername(user.id);
  if (!username) return user;
  let standing: CognitoStanding;
  try {
    standing = await readCognitoStanding(username);
  } catch (error) {
    // Cognito busy or down: keep the session as it was and look again soon, rather than sign everyone out.
    console.warn(`[auth] couldn't check a session's user in Cognito: ${(error as Error).name}`);
    await setCheckedAt(user.id, now - COGNITO_RECHECK_MS + RETRY_AFTER_FAILURE_MS).catch(() => {});
    return user;
  }
  if (standing.state !== "active") {
    const ended = await endAllSessions(user.id);
    await recordAudit({ type: "user.sessions-ended", subject: { userId: user.id, email: user.email ?? null }, after: { sessions: ended }, reason: `${standing.state} in Cognito` }, COGNITO);
    return null;
  }
  if (sameGroups(standing.groups, user.groups)) return user;
  await setCheckedAt(user.id, now, standing.groups);
  await updateProfile(user.id, { admin: standing.groups.includes(ADMIN_GROUP) });
  await recordAudit({ type: "user.groups-changed", subject: { userId: user.id, email: user.email ?? null }, before: { groups: user.groups ?? [] }, after: { groups: standing.groups } }, COGNITO);
  return { ...user, groups: standing.groups };
}

/** The adapter's session lookup, passed through Cognito's current word on the user (Auth.js clears the cookie of a null). */
export function sessionsFollowingCognito(adapter: Adapter): NonNullable<Adapter["getSessionAndUser"]> {
  return async (sessionToken) => {
    const found = await adapter.getSessionAndUser!(sessionToken);
    const user = found && (await followCognito(found.user));
    return found && user ? { session: found.session, user } : null;
  };
}
