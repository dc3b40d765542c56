import { readPartition, sortPartition, type PartitionRow, type UserPartition } from "../db/partition";
import { updateProfile, type Profile, type ProfileUsage } from "../db/profiles";
import { lastDays } from "./days";
import { checkGuard } from "./guard";
import { idleKeys } from "./idle";
import { ifUserUnlocked, withUserLock } from "./lock";
import { keysInPlan } from "./rows";

/**
 * The admin directory's profile (lib/db/profiles.ts) summarizes each user's access — keys, plans,
 * marketplace, usage — so it follows every change: a change runs as `changeAccess`, which takes
 * the user's lease for it (lock.ts) and, still holding it, refreshes the profile, also after a
 * failed attempt (it may have changed part). Under the lease, no other change is half done while
 * the refresh reads the partition, so a profile only ever shows a state the user's access was in.
 */

type Summary = Pick<Profile, "keyCount" | "keyIds" | "plans" | "pendingPlans" | "marketplace" | "usage" | "idleKeys">;

/**
 * Runs `work` under the user's lease, then refreshes their profile before letting the lease go.
 * `changed` says from the result whether anything changed (default: assume so), to spare the
 * refresh when nothing did; `now` is the time the refreshed usage figures count back from. When
 * the lease stays busy nothing ran, and nothing is refreshed.
 */
export function changeAccess<T>(
  userId: string,
  operation: string,
  work: () => Promise<T>,
  options: { changed?: (result: T) => boolean; now?: number } = {},
): Promise<T> {
  return withUserLock(userId, operation, async () => {
    await checkGuard(userId);
    return thenRefresh(userId, work, options);
  });
}

/** For jobs: `changeAccess` only if the lease is free right now (lock.ts ifUserUnlocked). */
export function changeAccessIfFree<T>(userId: string, operation: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  return ifUserUnlocked(userId, operation, () => thenRefresh(userId, work));
}

async function thenRefresh<T>(userId: string, work: () => Promise<T>, options: { changed?: (result: T) => boolean; now?: number } = {}): Promise<T> {
  let refresh = true;
  try {
    const result = await work();
    refresh = options.changed?.(result) ?? true;
    return result;
  } finally {
    if (refresh) await refreshProfileQuietly(userId, options.now);
  }
}

/** A refresh that fails leaves the profile behind until the next change; the change itself stands. */
const refreshProfileQuietly = (userId: string, now?: number) =>
  refreshProfile(userId, now).catch((error: Error) => console.error(`[profile] sync failed: ${error.name}`));

/**
 * Recomputes a user's profile summary from their partition — one Query — and writes it unless
 * someone else wrote the profile meanwhile (then it reads again).
 */
export async function refreshProfile(userId: string, now = Date.now()): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const partition = await readPartition(userId, { consistent: true });
    const { user, profile } = partition;
    // A team has no Auth.js user row: its profile, made with the team, is what it has.
    if ((!user && !profile?.team) || profile?.status === "deleted") return;
    const summary = summarize(partition, now);
    if (profile && (Object.keys(summary) as (keyof Summary)[]).every((k) => JSON.stringify(profile[k]) === JSON.stringify(summary[k]))) return;
    const written = await updateProfile(
      userId,
      summary,
      profile ? { ifUpdatedAt: profile.updatedAt } : { create: { email: user?.email ?? null, name: user?.name ?? null, status: "active" } },
    );
    if (written) return;
  }
}

/** The profile summary of a user's partition rows at `now` (also used by the admin benchmark's seed). */
export const summarizeAccess = (rows: PartitionRow[], now: number): Summary => summarize(sortPartition(rows), now);

function summarize({ keys, subscriptions, usage: usageRows }: Pick<UserPartition, "keys" | "subscriptions" | "usage">, now: number): Summary {
  const access = { keys, subscriptions };
  // A key is gone from a plan once it is no longer in it (revoked, retired, or the plan ended).
  const inPlan = new Map<string, Set<string>>();
  const liveIn = (planId: string) => inPlan.get(planId) ?? inPlan.set(planId, new Set(keysInPlan(access, planId).map((k) => k.keyId))).get(planId)!;
  const week = lastDays(7, now);
  // Every key's history counts, including keys since revoked or rotated away (as the user's own view sums them).
  // (A gone key drops out of the 7-day summary once it has no requests in it.)
  const usage: ProfileUsage[] = usageRows.flatMap((u) => {
    const gone = !liveIn(u.planId).has(u.keyId);
    const counts = { ...u.final, ...u.recent };
    const requests7d = week.reduce((sum, day) => sum + (counts[day] ?? 0), 0);
    const quotaUsed = !gone && u.quotaLimit && u.remaining !== undefined ? Math.min(1, Math.max(0, (u.quotaLimit - u.remaining) / u.quotaLimit)) : undefined;
    if (gone && requests7d === 0) return [];
    const productName = subscriptions.find((s) => s.planId === u.planId)?.productName;
    return {
      planId: u.planId,
      ...(productName ? { productName } : {}),
      keyId: u.keyId,
      ...(u.keyName ? { keyName: u.keyName } : {}),
      ...(u.keyHint ? { keyHint: u.keyHint } : {}),
      ...(gone ? { gone } : {}),
      requests7d,
      ...(quotaUsed !== undefined ? { quotaUsed } : {}),
      fetchedAt: new Date(u.fetchedAt).toISOString(),
    } satisfies ProfileUsage;
  });
  return {
    keyCount: keys.filter((k) => k.state === "active").length,
    keyIds: keys.map((k) => k.keyId),
    plans: subscriptions.filter((s) => s.state === "active").map((s) => s.planId),
    pendingPlans: subscriptions.filter((s) => s.state === "pending").map((s) => s.planId),
    marketplace: subscriptions.some((s) => s.source === "marketplace"),
    usage,
    idleKeys: idleKeys(keys),
  };
}
