import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { z } from "zod";

/** Managed-login session cookie and the double-submit CSRF cookie, as real Cognito sets them. */
export const SESSION_COOKIE = "cognito";
export const CSRF_COOKIE = "XSRF-TOKEN";
/** Cognito's managed-login session lasts an hour. */
const SESSION_TTL_MS = 60 * 60 * 1000;

const sessionSchema = z.object({ userPoolId: z.string(), username: z.string(), authTime: z.number(), expiresAt: z.number() });
export type HostedSession = z.infer<typeof sessionSchema>;

const hash = (value: string) => createHash("sha256").update(value).digest("base64url");

export function readCookies(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    try {
      cookies.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // Not ours: cookies set by other apps on localhost may use any encoding.
    }
  }
  return cookies;
}

export function cookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${options.secure ? "; Secure" : ""}`;
}

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(hash(a));
  const right = Buffer.from(hash(b));
  return timingSafeEqual(left, right);
}

/**
 * Hosted-login sessions kept server-side (the cookie holds only a random id; the file holds its
 * hash), persisted so a sandbox restart does not sign everyone out, and revocable by /logout.
 */
export class HostedSessions {
  private readonly file: string;
  private readonly sessions = new Map<string, HostedSession>();

  constructor(dir: string) {
    this.file = path.join(dir, "sessions.json");
    if (!existsSync(this.file)) return;
    try {
      const stored = z.record(z.string(), sessionSchema).parse(JSON.parse(readFileSync(this.file, "utf8")));
      for (const [key, session] of Object.entries(stored)) if (session.expiresAt > Date.now()) this.sessions.set(key, session);
    } catch {
      // A damaged file only costs a sign-in.
    }
  }

  /** Returns the cookie value for a new session. */
  create(userPoolId: string, username: string): { id: string; session: HostedSession } {
    const id = randomBytes(32).toString("base64url");
    const session = { userPoolId, username, authTime: Math.floor(Date.now() / 1000), expiresAt: Date.now() + SESSION_TTL_MS };
    this.sessions.set(hash(id), session);
    this.save();
    return { id, session };
  }

  get(id: string | undefined): HostedSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(hash(id));
    return session && session.expiresAt > Date.now() ? session : undefined;
  }

  delete(id: string | undefined): void {
    if (id && this.sessions.delete(hash(id))) this.save();
  }

  /** Ends every session of a user (AdminUserGlobalSignOut, AdminDisableUser, AdminDeleteUser). */
  deleteForUser(userPoolId: string, username: string): void {
    let changed = false;
    for (const [key, session] of this.sessions) {
      if (session.userPoolId === userPoolId && session.username === username) changed = this.sessions.delete(key) || changed;
    }
    if (changed) this.save();
  }

  get maxAgeSeconds(): number {
    return SESSION_TTL_MS / 1000;
  }

  private save(): void {
    const now = Date.now();
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.sessions)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
