import { getPlanKeysUsage, listUsagePlans } from "../apigateway";
import { allProfiles } from "../users/directory";
import { lastDays } from "./days";
import { withUserLock } from "./lock";
import { pacer } from "./pacer";
import { keysInPlan, queryAll, readUserAccess, usageSk, userPk, type UsageRow } from "./rows";
import { mergeUsage, storeUsage } from "./usage";

/**
 * The scheduled usage collector (functions/usage-collector.ts). The dashboard stores a user's usage
 * when they look at it; the admin overview (top consumers, keys near their quota) reads those
 * stored figures, so without this job a consumer who never opens their dashboard would be missing.
 *
 * Control-plane cost: GetUsagePlans once, then GetUsage once per plan that has subscribers (every
 * key of the plan in one answer, 500 per page), paced at 2 requests/s like the reconciler: a
 * handful of calls per run, whatever the number of users. DynamoDB: per user with usage, their lease, one Query, one write per key and the
 * profile refresh that follows any change under the lease.
 */

/** The days stored per run: the 7 the overview sums (finished days before them are already kept). */
const DAYS = 7;

export interface UsageCollection {
  plans: number;
  keys: number;
  users: number;
  /** Users whose rows could not be written this run (their lease was busy, or a write failed): the next run retries. */
  failed: { userId: string; error: string }[];
}

export async function collectUsage(now = Date.now(), options: { ratePerSecond?: number } = {}): Promise<UsageCollection> {
  const days = lastDays(DAYS, now);
  const [start, today] = [days[0]!, days.at(-1)!];

  // Which user holds each key, and which plans have subscribers: from the directory, not a Scan.
  const owner = new Map<string, string>();
  const subscribed = new Set<string>();
  for (const profile of await allProfiles()) {
    if (profile.status === "deleted") continue;
    for (const keyId of profile.keyIds ?? []) owner.set(keyId, profile.userId);
    for (const planId of profile.plans ?? []) subscribed.add(planId);
  }
  const plans = (await listUsagePlans()).filter((plan) => subscribed.has(plan.id));

  // userId → planId → keyId → that key's answer.
  const answers = new Map<string, Map<string, Map<string, { used: number[]; remaining?: number }>>>();
  const wait = pacer(options.ratePerSecond ?? 2);
  for (const plan of plans) {
    await wait();
    for (const [keyId, answer] of await getPlanKeysUsage(plan.id, start, today)) {
      const userId = owner.get(keyId);
      if (!userId) continue; // a key the portal didn't create, or one deleted since
      const byPlan = answers.get(userId) ?? answers.set(userId, new Map()).get(userId)!;
      const byKey = byPlan.get(plan.id) ?? byPlan.set(plan.id, new Map()).get(plan.id)!;
      byKey.set(keyId, answer);
    }
  }
  const quotaLimit = new Map(plans.map((plan) => [plan.id, plan.quota?.limit]));

  let keys = 0;
  const failed: UsageCollection["failed"] = [];
  for (const [userId, byPlan] of answers) {
    try {
      // Under the user's lease, so an account deleted meanwhile gets no rows back, and the profile follows.
      keys += await withUserLock(
        userId,
        "collect-usage",
        async () => {
          const access = await readUserAccess(userId);
          if (!access.profile || access.profile.status === "deleted") return 0;
          const stored = new Map(
            (await queryAll<UsageRow>({ KeyConditionExpression: "pk = :pk AND begins_with(sk, :usage)", ExpressionAttributeValues: { ":pk": userPk(userId), ":usage": "USAGE#" } })).map((row) => [
              row.sk,
              row,
            ]),
          );
          let written = 0;
          for (const [planId, byKey] of byPlan) {
            for (const key of keysInPlan(access, planId)) {
              const answer = byKey.get(key.keyId);
              if (!answer) continue;
              const next = mergeUsage(userId, planId, key.keyId, stored.get(usageSk(planId, key.keyId)), answer, start, now, quotaLimit.get(planId));
              await storeUsage(next);
              written += 1;
            }
          }
          return written;
        },
        (written) => written > 0,
      );
    } catch (error) {
      failed.push({ userId, error: (error as Error).message });
    }
  }
  return { plans: plans.length, keys, users: answers.size - failed.length, failed };
}
