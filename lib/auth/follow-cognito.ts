import type { Adapter } from "next-auth/adapters";
import { recordAudit, type Actor } from "../audit";
import { readStanding, type CognitoStanding } from "../cognito";
import { ADMIN_GROUP } from "../constants";
import { cognitoUsername, endAllSessions } from "../db/auth-rows";
import { conditionally, rowExists, updateItem } from "../db/items";
import { authUserKey } from "../db/keys";
import { updateProfile } from "../db/profiles";

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

/** Claims this interval's check for the user; false when another request already did (or it isn't due). */
function claimCheck(userId: string, now: number, checkedAt: number): Promise<boolean> {
  return conditionally(
    updateItem(
      authUserKey(userId),
      { expression: "SET cognitoCheckedAt = :now", values: { ":now": now } },
      // Only the request that saw the same stale value wins; a deleted user row is not recreated.
      {
        condition: {
          expression: "attribute_exists(pk) AND (attribute_not_exists(cognitoCheckedAt) OR cognitoCheckedAt = :seen)",
          values: { ":seen": checkedAt },
        },
      },
    ),
  );
}

async function setCheckedAt(userId: string, at: number, groups?: string[]): Promise<void> {
  await updateItem(
    authUserKey(userId),
    groups
      ? { expression: "SET cognitoCheckedAt = :at, #groups = :groups", names: { "#groups": "groups" }, values: { ":at": at, ":groups": groups } }
      : { expression: "SET cognitoCheckedAt = :at", values: { ":at": at } },
    { condition: rowExists },
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
    standing = await readStanding(username);
  } catch (error) {
    // Cognito busy or down: keep the session as it was and look again soon, rather than sign everyone out.
    console.warn(`[auth] couldn't check a session's user in Cognito: ${((error as Error).cause as Error | undefined)?.name ?? (error as Error).name}`);
    await setCheckedAt(user.id, now - COGNITO_RECHECK_MS + RETRY_AFTER_FAILURE_MS).catch(() => {});
    return user;
  }
  if (standing.state !== "active") {
    const ended = await endAllSessions(user.id);
    await recordAudit(
      {
        type: "user.sessions-ended",
        subject: { userId: user.id, email: user.email ?? null },
        after: { sessions: ended },
        reason: `${standing.state} in Cognito`,
      },
      COGNITO,
    );
    return null;
  }
  if (sameGroups(standing.groups, user.groups)) return user;
  await setCheckedAt(user.id, now, standing.groups);
  await updateProfile(user.id, { admin: standing.groups.includes(ADMIN_GROUP) });
  await recordAudit(
    {
      type: "user.groups-changed",
      subject: { userId: user.id, email: user.email ?? null },
      before: { groups: user.groups ?? [] },
      after: { groups: standing.groups },
    },
    COGNITO,
  );
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
