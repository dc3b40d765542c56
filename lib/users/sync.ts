import { lastDays } from "../access/days";
import { queryAll } from "../db/query";
import { keysInPlan, userPk, type KeyRow, type SubscriptionRow, type UsageRow } from "../access/rows";
import { PROFILE_SK, updateProfile, type Profile, type ProfileUsage } from "./profile";

type Row = { sk: string } & Record<string, unknown>;

/**
 * Recomputes a user's profile summary (keys, plans, marketplace, usage) from their partition —
 * one Query — and writes it unless someone else wrote the profile meanwhile (then it reads again).
 * Called after every change to a user's access (lib/access/lock.ts) and after usage is fetched.
 */
export async function syncProfile(userId: string, now = Date.now()): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const rows = await queryAll<Row>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": userPk(userId) }, ConsistentRead: true });
    const user = rows.find((r) => r.sk === `USER#${userId}`);
    const profile = rows.find((r) => r.sk === PROFILE_SK) as (Row & Profile) | undefined;
    if (!user || profile?.status === "deleted") return;
    const summary = summarizeAccess(rows, now);
    if (profile && (Object.keys(summary) as (keyof typeof summary)[]).every((k) => JSON.stringify(profile[k]) === JSON.stringify(summary[k]))) return;
    const written = await updateProfile(userId, summary, {
      ...(profile ? { ifUpdatedAt: profile.updatedAt } : { create: { email: (user.email as string) ?? null, name: (user.name as string) ?? null, status: "active" } }),
    });
    if (written) return;
  }
}

/** The profile summary of a user's partition rows at `now` (also used by the admin benchmark's seed). */
export function summarizeAccess(rows: Row[], now: number): Pick<Profile, "keyCount" | "keyIds" | "plans" | "pendingPlans" | "marketplace" | "usage"> {
  const keys = rows.filter((r) => r.sk.startsWith("KEY#")) as unknown as KeyRow[];
  const subs = rows.filter((r) => r.sk.startsWith("SUB#")) as unknown as SubscriptionRow[];
  const usageRows = rows.filter((r) => r.sk.startsWith("USAGE#")) as unknown as UsageRow[];
  const access = { keys, subscriptions: subs };
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
    const productName = subs.find((s) => s.planId === u.planId)?.productName;
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
    plans: subs.filter((s) => s.state === "active").map((s) => s.planId),
    pendingPlans: subs.filter((s) => s.state === "pending").map((s) => s.planId),
    marketplace: subs.some((s) => s.source === "marketplace"),
    usage,
  };
}
