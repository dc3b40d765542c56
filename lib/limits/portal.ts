import { AppError } from "../errors";
import { perWindow, type BucketCheck } from "./gcra";
import { getLimits, type PortalAction, type Window } from "./settings";
import { reserveShared } from "./shared";

/**
 * The header CloudFront's viewer-request function sets to the viewer's address (infra/web.ts),
 * replacing whatever the client sent; origin protection keeps anyone from going around CloudFront.
 */
export const VIEWER_IP_HEADER = "x-portico-viewer-ip";

const IP = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The client's IP address: CloudFront's header in AWS; elsewhere (the sandbox) the last
 * X-Forwarded-For entry, the one the nearest proxy (Next's own server) added or kept.
 */
export function clientIp(headers: Headers): string {
  const viewer = headers.get(VIEWER_IP_HEADER)?.trim();
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  const ip = viewer || forwarded || "";
  return IP.test(ip) ? ip : "unknown";
}

const WHAT: Record<PortalAction, string> = {
  keys: "key changes",
  subscriptions: "subscription changes",
  tryIt: "try-it calls",
  signIn: "sign-in attempts",
};

const check = (window: Window): BucketCheck[] => [{ name: "b", limit: perWindow(window.requests, window.seconds) }];

/**
 * Counts one `action` against its limits (stage setting `limits.portal`): per person unless they
 * are an admin, and per IP address. Past either, an AppError 429 with Retry-After, before anything
 * was changed: call this first in a route.
 */
export async function enforcePortalLimit(action: PortalAction, who: { ip: string; userId?: string; isAdmin?: boolean }): Promise<void> {
  const rule = getLimits().portal[action];
  const subjects: [row: string, window: Window][] = [[`portal#${action}#ip#${who.ip}`, rule.perIp]];
  if (rule.perUser && who.userId && !who.isAdmin) subjects.push([`portal#${action}#user#${who.userId}`, rule.perUser]);
  for (const [row, window] of subjects) {
    const checks = check(window);
    const turn = await reserveShared(row, checks, { maxWaitMs: 0, fallback: checks });
    if (!turn.ok) {
      const seconds = Math.max(1, Math.ceil((turn.retryAt - Date.now()) / 1000));
      throw new AppError("rate_limited", `Too many ${WHAT[action]} in a short time. Please wait ${seconds} s and try again.`, { retryAfterSeconds: seconds });
    }
  }
}
