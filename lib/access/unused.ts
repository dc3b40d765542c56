import { getPortalSettings } from "../catalog/settings";
import { conditionally, updateItem } from "../db/items";
import { keySk, userPk } from "../db/keys";
import type { Profile } from "../db/profiles";
import { queueNotice } from "../outbox/queue";
import { DAY_MS, dayStart, utcDay } from "./days";
import { idleSince } from "./idle";
import { keyFacts } from "./keys";
import { changeAccessIfFree } from "./profile";
import { readUserAccess } from "./rows";

/**
 * Unused keys: an active key that made no request for `notifications.unusedKeyDays` days
 * (portal.yaml, 0: never) is reported to its owner once per idle stretch — `key.unused`, its id
 * naming the key and the stretch's first day. Counted from the later of its last-used day (from
 * the stored usage, usage.ts) and the day it was made.
 *
 * No Scan and no control-plane call: each profile carries its user's keys not yet told about their
 * current stretch (`idleKeys`, refreshed with every change, lib/access/profile.ts), so the job
 * reads the directory and touches only the users with a key due. Marketplace keys are left out:
 * they belong to their subscription, and the owner can't revoke them anyway.
 */

/** Whole days from `since` to `now`'s day. */
const idleDays = (since: string, now: number) => Math.round((dayStart(utcDay(now)) - dayStart(since)) / DAY_MS);

export const unusedKeyDays = () => getPortalSettings().notifications.unusedKeyDays;

export interface UnusedReport {
  /** Notices queued. */
  told: number;
  /** Users whose lease was busy: the next run tries again. */
  skipped: string[];
  failed: { userId: string; error: string }[];
}

/**
 * Queues `key.unused` for every key idle `days` days or more at `now` (the job's clock), from the
 * profiles given (the directory). Each one is confirmed under the user's lease against their rows
 * — the profile may be a run behind — and marked on the key, which takes it off the profile.
 */
export async function queueUnusedKeyNotices(profiles: Profile[], now = Date.now(), days = unusedKeyDays()): Promise<UnusedReport> {
  const report: UnusedReport = { told: 0, skipped: [], failed: [] };
  if (days <= 0) return report;
  for (const profile of profiles) {
    if (profile.status !== "active") continue;
    if (!Object.values(profile.idleKeys ?? {}).some((since) => idleDays(since, now) >= days)) continue;
    try {
      const outcome = await changeAccessIfFree(profile.userId, "unused-keys", () => tellUnused(profile.userId, now, days));
      if (!outcome.ran) report.skipped.push(profile.userId);
      else report.told += outcome.value;
    } catch (error) {
      report.failed.push({ userId: profile.userId, error: (error as Error).message });
    }
  }
  return report;
}

async function tellUnused(userId: string, now: number, days: number): Promise<number> {
  const access = await readUserAccess(userId);
  if (access.profile?.status !== "active") return 0;
  let told = 0;
  for (const key of access.keys) {
    const since = idleSince(key);
    const idle = idleDays(since, now);
    if (key.state !== "active" || key.boundPlanId || key.unusedToldSince === since || idle < days) continue;
    const queued = await queueNotice(
      {
        id: `unused:${key.keyId}:${since}`,
        type: "key.unused",
        userId,
        at: new Date(now).toISOString(),
        data: { ...keyFacts(key), days: idle, ...(key.lastUsedDay ? { lastUsedDay: key.lastUsedDay } : {}) },
      },
      { now: new Date(now) },
    );
    // Marked whether or not this run queued it (a run that died in between left it queued).
    await conditionally(
      updateItem(
        { pk: userPk(userId), sk: keySk(key.keyId) },
        { expression: "SET unusedToldSince = :since", values: { ":since": since } },
        { condition: { expression: "attribute_exists(pk)" } },
      ),
    );
    if (queued) told += 1;
  }
  return told;
}
