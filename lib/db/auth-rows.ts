import { deleteItem, deleteRows, queryAll, type RowKey } from "./items";
import { COGNITO_ACCOUNT_PREFIX, SESSION_PREFIX, sessionKey, userPk } from "./keys";

/**
 * What the portal reads of the Auth.js adapter's rows in a user's partition: the Cognito account
 * linked at their first sign-in, and their database sessions (the adapter writes both).
 */

/**
 * The name to give Cognito for a portal user: their sub, from the account Auth.js linked at their
 * first sign-in. In a pool that signs in by email, the email is only an alias: it changes when the
 * address does, and may then name someone else's account. Users who never signed in (invited, or
 * written by tests) have no linked account: their email is all there is.
 */
export async function cognitoUsername(userId: string, email: string): Promise<string>;
export async function cognitoUsername(userId: string, email?: string | null): Promise<string | undefined>;
export async function cognitoUsername(userId: string, email?: string | null): Promise<string | undefined> {
  const [account] = await queryAll<{ providerAccountId?: unknown }>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :account)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":account": COGNITO_ACCOUNT_PREFIX },
    ProjectionExpression: "providerAccountId",
  });
  const sub = account?.providerAccountId;
  return typeof sub === "string" && sub ? sub : (email ?? undefined);
}

/** The user's live sessions (one Query); the adapter stores `expires` as epoch seconds (DynamoDB TTL format). */
export async function sessionRows(userId: string): Promise<{ token: string; expires: Date }[]> {
  const items = await queryAll<{ sessionToken?: unknown; expires?: unknown }>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :session)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":session": SESSION_PREFIX },
  });
  const now = Date.now();
  return items.map((item) => ({ token: String(item.sessionToken), expires: new Date(Number(item.expires) * 1000) })).filter((s) => s.expires.getTime() > now);
}

export async function deleteSession(userId: string, token: string): Promise<void> {
  await deleteItem(sessionKey(userId, token));
}

/** Ends every session of the user (their next request is anonymous); returns how many there were. */
export async function endAllSessions(userId: string): Promise<number> {
  const sessions = await queryAll<RowKey>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
    ExpressionAttributeValues: { ":pk": userPk(userId), ":s": SESSION_PREFIX },
    ProjectionExpression: "pk, sk",
  });
  await deleteRows(sessions);
  return sessions.length;
}
