import { createHash } from "node:crypto";
import { DeleteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { cookies } from "next/headers";
import { getConfig } from "../config";
import { db } from "../db/client";
import { deleteRows, queryAll } from "../db/query";
import { AppError } from "../errors";

export interface SessionSummary {
  /** A digest of the session token: enough to name a session, useless to steal one. */
  id: string;
  expires: Date;
  current: boolean;
}

/** Auth.js's session cookie, by its https and http names. */
export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];
const digest = (token: string) => createHash("sha256").update(token).digest("base64url").slice(0, 22);

async function currentToken(): Promise<string | undefined> {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name)?.value;
    if (value) return value;
  }
  return undefined;
}

async function sessionRows(userId: string): Promise<{ token: string; expires: Date }[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: getConfig().PORTICO_TABLE,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :session)",
      ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":session": "SESSION#" },
    }),
  );
  const now = Date.now();
  // The adapter stores `expires` as epoch seconds (DynamoDB TTL format).
  return Items.map((item) => ({ token: String(item.sessionToken), expires: new Date(Number(item.expires) * 1000) })).filter((s) => s.expires.getTime() > now);
}

/** The user's live sessions, newest expiry first (one Query on the user's partition). */
export async function listSessions(userId: string): Promise<SessionSummary[]> {
  const current = await currentToken();
  return (await sessionRows(userId))
    .map((s) => ({ id: digest(s.token), expires: s.expires, current: s.token === current }))
    .sort((a, b) => b.expires.getTime() - a.expires.getTime());
}

async function deleteSession(userId: string, token: string): Promise<void> {
  const table = getConfig().PORTICO_TABLE;
  await db.send(new DeleteCommand({ TableName: table, Key: { pk: `USER#${userId}`, sk: `SESSION#${token}` } }));
}

/** Signs out one of the user's sessions by its digest; another user's session is never found. */
export async function revokeSession(userId: string, id: string): Promise<void> {
  const match = (await sessionRows(userId)).find((s) => digest(s.token) === id);
  if (!match) throw new AppError("not_found", "That session has already ended.");
  await deleteSession(userId, match.token);
}

/** Ends every session of the user (their next request is anonymous); returns how many there were. */
export async function endAllSessions(userId: string): Promise<number> {
  const sessions = await queryAll<{ pk: string; sk: string }>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
    ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":s": "SESSION#" },
    ProjectionExpression: "pk, sk",
  });
  await deleteRows(sessions);
  return sessions.length;
}

export async function revokeOtherSessions(userId: string): Promise<number> {
  const current = await currentToken();
  const others = (await sessionRows(userId)).filter((s) => s.token !== current);
  await Promise.all(others.map((s) => deleteSession(userId, s.token)));
  return others.length;
}
