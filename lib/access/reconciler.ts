import { addKeyToPlan, deleteApiKey, listApiKeys, listPlanKeyIds, listUsagePlans, removeKeyFromPlan, type ApiKeySummary } from "../apigateway";
import { recordAudit } from "../audit";
import { scanAll } from "../db/items";
import { KEY_PREFIX, SUB_PREFIX } from "../db/keys";
import type { KeyRow, SubscriptionRow } from "../db/rows";
import { USER_TAG } from "./keys";
import { pacer } from "./pacer";
import { changeAccessIfFree } from "./profile";
import { deleteKeyRow, deleteSubscriptionRow, expectedPlans, readUserAccess, type UserAccess } from "./rows";
import { keepUsage } from "./usage";

/**
 * Finds and repairs drift between the portal's rows (what users asked for) and API Gateway (what
 * is enforced). DynamoDB states intent; API Gateway is brought in line with it, except that a key
 * deleted in API Gateway is forgotten rather than recreated (its value is gone for good).
 *
 *   missing-key        row for a key API Gateway no longer has        → delete the row
 *   orphan-key         portal-tagged key with no row (crashed create) → delete the key
 *   missing-plan-key   live key not in a plan it belongs in (rows.ts expectedPlans) → add it
 *   extra-plan-key     portal key in a plan it doesn't belong in → remove it
 *   unfinished-switch  a switch recorded its new plan but not yet dropped the old → drop it
 *
 * Budget-aware: API Gateway is read in pages of 500, fixes are paced (2 rps by default) and capped
 * per run. Each user's fixes are recomputed from fresh rows under their lease, so a change the user
 * makes meanwhile is never undone; users busy right now are left for the next run.
 */

export type DriftKind = "missing-key" | "orphan-key" | "missing-plan-key" | "extra-plan-key" | "unfinished-switch";
export interface Drift {
  kind: DriftKind;
  userId: string;
  keyId: string;
  planId?: string;
}
export interface ReconcileReport {
  users: number;
  keys: number;
  plans: number;
  drift: Drift[];
  fixed: Drift[];
  skippedUsers: string[];
  failed: (Drift & { error: string })[];
}

/** A key API Gateway created less than this long ago may still be on its way into DynamoDB. */
const ORPHAN_AGE_MS = 10 * 60_000;

export interface Snapshot {
  /** Epoch ms when reading began: rows younger than this may describe keys the snapshot predates. */
  takenAt: number;
  keys: Map<string, ApiKeySummary>;
  /** planId → key ids */
  planKeys: Map<string, Set<string>>;
}

async function snapshotApiGateway(wait: () => Promise<void>): Promise<Snapshot> {
  const takenAt = Date.now();
  await wait();
  const keys = new Map((await listApiKeys()).map((k) => [k.id, k]));
  const planKeys = new Map<string, Set<string>>();
  await wait();
  for (const plan of await listUsagePlans()) {
    await wait();
    planKeys.set(plan.id, new Set(await listPlanKeyIds(plan.id)));
  }
  return { takenAt, keys, planKeys };
}

/** Users with portal rows: the job may Scan (off the request path), projecting only what it needs. */
async function usersWithRows(): Promise<Set<string>> {
  const rows = await scanAll<{ userId?: unknown }>({
    FilterExpression: "begins_with(sk, :key) OR begins_with(sk, :sub)",
    ExpressionAttributeValues: { ":key": KEY_PREFIX, ":sub": SUB_PREFIX },
    ProjectionExpression: "userId",
  });
  return new Set(rows.flatMap((row) => (typeof row.userId === "string" ? [row.userId] : [])));
}

/** What differs for one user between their rows and the API Gateway snapshot. */
export function driftOf(userId: string, access: UserAccess, snapshot: Snapshot, now: number): Drift[] {
  const drift: Drift[] = [];
  const rowKeys = new Map<string, KeyRow>(access.keys.map((k) => [k.keyId, k]));
  const live: string[] = [];
  for (const [keyId, row] of rowKeys) {
    if (snapshot.keys.has(keyId)) live.push(keyId);
    else if (Date.parse(row.createdAt) < snapshot.takenAt) drift.push({ kind: "missing-key", userId, keyId });
  }
  for (const key of snapshot.keys.values()) {
    const age = now - (key.createdDate?.getTime() ?? 0);
    if (key.tags[USER_TAG] === userId && !rowKeys.has(key.id) && age > ORPHAN_AGE_MS) drift.push({ kind: "orphan-key", userId, keyId: key.id });
  }
  const active = access.subscriptions.filter((s: SubscriptionRow) => s.state === "active");
  // Only portal subscriptions are switched away: a plan bought on AWS Marketplace ends only when AWS says so.
  const superseded = new Set(active.flatMap((s) => s.replaces ?? []).filter((planId) => active.some((s) => s.planId === planId && s.source !== "marketplace")));
  for (const planId of superseded) drift.push({ kind: "unfinished-switch", userId, keyId: "", planId });
  // What each live key should be in, with a half-finished switch already finished.
  const settled: UserAccess = { ...access, subscriptions: access.subscriptions.filter((s) => !superseded.has(s.planId)) };
  for (const keyId of live) {
    const wanted = new Set(expectedPlans(settled, rowKeys.get(keyId)!));
    // Leaving comes before joining: a key may hold one plan per API stage, so a key stuck in the
    // wrong plan of a stage can only join the right one once it is out.
    for (const [planId, members] of snapshot.planKeys) {
      if (!wanted.has(planId) && members.has(keyId)) drift.push({ kind: "extra-plan-key", userId, keyId, planId });
    }
    for (const planId of wanted) {
      const members = snapshot.planKeys.get(planId);
      // The plan itself is gone: nothing to attach to (the admin pages show it).
      if (members && !members.has(keyId)) drift.push({ kind: "missing-plan-key", userId, keyId, planId });
    }
  }
  return drift;
}

async function repair(d: Drift, access: UserAccess, wait: () => Promise<void>): Promise<void> {
  if (d.kind === "unfinished-switch") await deleteSubscriptionRow(d.userId, d.planId!);
  else if (d.kind === "missing-key") await deleteKeyRow(d.userId, d.keyId);
  else if (d.kind === "orphan-key") await deleteApiKey(d.keyId);
  else if (d.kind === "missing-plan-key") await addKeyToPlan(d.planId!, d.keyId);
  else {
    // Calls made while it was (wrongly) there still happened: they stay in the user's history.
    const key = access.keys.find((k) => k.keyId === d.keyId);
    if (key) await keepUsage(d.userId, [key], [d.planId!], wait);
    await wait();
    await removeKeyFromPlan(d.planId!, d.keyId);
  }
}

export async function reconcile(options: { now?: Date; dryRun?: boolean; maxFixes?: number; ratePerSecond?: number } = {}): Promise<ReconcileReport> {
  const now = (options.now ?? new Date()).getTime();
  const wait = pacer(options.ratePerSecond ?? 2);
  const snapshot = await snapshotApiGateway(wait);
  const users = await usersWithRows();
  // Users whose only trace is a tagged key in API Gateway (crashed before their first row).
  for (const key of snapshot.keys.values()) if (key.tags[USER_TAG]) users.add(key.tags[USER_TAG]);

  const report: ReconcileReport = {
    users: users.size,
    keys: snapshot.keys.size,
    plans: snapshot.planKeys.size,
    drift: [],
    fixed: [],
    skippedUsers: [],
    failed: [],
  };
  let budget = options.maxFixes ?? 500;
  for (const userId of users) {
    const found = driftOf(userId, await readUserAccess(userId), snapshot, now);
    report.drift.push(...found);
    if (options.dryRun || !found.length || budget <= 0) continue;
    const outcome = await changeAccessIfFree(userId, "reconcile", async () => {
      // Recompute under the lease: the user may have changed something since the first read.
      const access = await readUserAccess(userId);
      for (const d of driftOf(userId, access, snapshot, now)) {
        if (budget-- <= 0) break;
        try {
          if (d.kind !== "extra-plan-key") await wait();
          await repair(d, access, wait);
          report.fixed.push(d);
          await recordAudit({
            type: "reconciler.repaired",
            subject: { userId },
            target: d.keyId,
            after: { drift: d.kind, ...(d.planId ? { planId: d.planId } : {}) },
          });
        } catch (error) {
          report.failed.push({ ...d, error: (error as Error).message });
        }
      }
    });
    if (!outcome.ran) report.skippedUsers.push(userId);
  }
  return report;
}
