import { AppError } from "../errors";
import { perWindow, type BucketCheck } from "./gcra";
import { getLimits, type PortalAction, type Window } from "./settings";
import { reserveShared } from "./shared";

export { clientIp, VIEWER_IP_HEADER } from "./client-ip";

const WHAT: Record<PortalAction, string> = {
  keys: "key changes",
  tokens: "token changes",
  notifications: "notification setting changes",
  teams: "team changes",
  subscriptions: "subscription changes",
  liveReads: "key reveals and usage refreshes",
  tryIt: "try-it calls",
  signIn: "sign-in attempts",
  agents: "requests",
};

const check = (window: Window): BucketCheck[] => [{ name: "b", limit: perWindow(window.requests, window.seconds) }];

/**
 * A wait in words people read at a glance: seconds under a minute and a half ("45 seconds"), then
 * whole minutes ("about 9 minutes"), then hours ("about 2 hours"), never shorter than the real wait.
 */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return s === 1 ? "1 second" : `${s} seconds`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 90) return `about ${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return `about ${hours} hours`;
}

/** The 429's message: who is being held back (this person, or everyone at their address) and for how long. */
export function limitMessage(action: PortalAction, by: "user" | "token" | "ip", seconds: number): string {
  const from = by === "ip" ? " from your network" : by === "token" ? " with this token" : " in a short time";
  return `Too many ${WHAT[action]}${from}. Please wait ${formatWait(seconds)} and try again.`;
}

/**
 * Counts one `action` against its limits (stage setting `limits.portal`): per person unless they
 * are an admin, per portal token, and per IP address. Past either, an AppError 429 with Retry-After, before anything
 * was changed: call this first in a route.
 */
export async function enforcePortalLimit(action: PortalAction, who: { ip: string; userId?: string; isAdmin?: boolean; tokenId?: string }): Promise<void> {
  const rule = getLimits().portal[action];
  // The person's (or token's) own limit first: a refused request then costs their network's limit nothing.
  const subjects: [by: "user" | "token" | "ip", row: string, window: Window][] = [];
  if (rule.perUser && who.userId && !who.isAdmin) subjects.push(["user", `portal#${action}#user#${who.userId}`, rule.perUser]);
  if (rule.perToken && who.tokenId) subjects.push(["token", `portal#${action}#token#${who.userId ?? ""}#${who.tokenId}`, rule.perToken]);
  subjects.push(["ip", `portal#${action}#ip#${who.ip}`, rule.perIp]);
  for (const [by, row, window] of subjects) {
    const checks = check(window);
    const turn = await reserveShared(row, checks, { maxWaitMs: 0, fallback: checks });
    if (!turn.ok) {
      const seconds = Math.max(1, Math.ceil((turn.retryAt - Date.now()) / 1000));
      throw new AppError("rate_limited", limitMessage(action, by, seconds), { retryAfterSeconds: seconds });
    }
  }
}
