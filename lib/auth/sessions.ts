import { createHash } from "node:crypto";
import { cookies } from "next/headers";
import { deleteSession, sessionRows } from "../db/auth-rows";
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

/** The user's live sessions, newest expiry first (one Query on the user's partition). */
export async function listSessions(userId: string): Promise<SessionSummary[]> {
  const current = await currentToken();
  return (await sessionRows(userId))
    .map((s) => ({ id: digest(s.token), expires: s.expires, current: s.token === current }))
    .sort((a, b) => b.expires.getTime() - a.expires.getTime());
}

/** Signs out one of the user's sessions by its digest; another user's session is never found. */
export async function revokeSession(userId: string, id: string): Promise<void> {
  const match = (await sessionRows(userId)).find((s) => digest(s.token) === id);
  if (!match) throw new AppError("not_found", "That session has already ended.");
  await deleteSession(userId, match.token);
}

export async function revokeOtherSessions(userId: string): Promise<number> {
  const current = await currentToken();
  const others = (await sessionRows(userId)).filter((s) => s.token !== current);
  await Promise.all(others.map((s) => deleteSession(userId, s.token)));
  return others.length;
}
