import { lastDays } from "../access/days";
import { pacer } from "../access/pacer";
import { changeAccess } from "../access/profile";
import { keysInPlan, readUserAccess } from "../access/rows";
import { mergeUsage, storeUsage } from "../access/usage";
import { getPlanKeysUsage, listUsagePlans, type PlanTerms } from "../apigateway";
import { usageSk } from "../db/keys";
import { readUsageRows } from "../db/partition";
import { queueQuotaAlerts } from "../access/quota-alerts";
import { queueUnusedKeyNotices } from "../access/unused";
import { allProfiles } from "./directory";

/**
 * The scheduled usage collector (functions/usage-collector.ts). The dashboard stores a user's usage
 * when they look at it; the admin overview (top consumers, keys near their quota) reads those
 * stored figures, so without this job a consumer who never opens their dashboard would be missing.
 *
 * Control-plane cost: GetUsagePlans once, then GetUsage once per plan that has subscribers (every
 * key of the plan in one answer, 500 per page), paced at 2 requests/s like the reconciler: a
 * handful of calls per run, whatever the number of users. DynamoDB: per user with usage, their lease, one Query, one write per key and the
 * profile refresh that follows any change.
 */

/** The days stored per run: the 7 the overview sums (finished days before them are already kept). */
const DAYS = 7;

export interface UsageCollection {
  plans: number;
  keys: number;
  users: number;
  /** Users whose rows could not be written this run (their lease was busy, or a write failed): the next run retries. */
  failed: { userId: string; error: string }[];
  /** `key.unused` notices queued this run (lib/access/unused.ts). */
  unusedTold: number;
}

type Answer = { used: number[]; remaining?: number };
/** One user's share of the run's GetUsage answers: planId → keyId → answer. */
type UserAnswers = Map<string, Map<string, Answer>>;

/** Users whose figures are stored at once. */
const STORE_CONCURRENCY = 8;

export async function collectUsage(now = Date.now(), options: { ratePerSecond?: number; concurrency?: number } = {}): Promise<UsageCollection> {
  const days = lastDays(DAYS, now);
  const range = { start: days[0]!, today: days.at(-1)!, now };

  // Which user holds each key, and which plans have subscribers: from the directory, not a Scan.
  const owner = new Map<string, string>();
  const subscribed = new Set<string>();
  for (const profile of await allProfiles()) {
    if (profile.status === "deleted") continue;
    for (const keyId of profile.keyIds ?? []) owner.set(keyId, profile.userId);
    for (const planId of profile.plans ?? []) subscribed.add(planId);
  }
  const plans = (await listUsagePlans()).filter((plan) => subscribed.has(plan.id));
  const quotas = new Map(plans.map((plan) => [plan.id, { quota: plan.quota, name: plan.name }]));

  const answers = new Map<string, UserAnswers>();
  const wait = pacer(options.ratePerSecond ?? 2);
  for (const plan of plans) {
    await wait();
    for (const [keyId, answer] of await getPlanKeysUsage(plan.id, range.start, range.today)) {
      const userId = owner.get(keyId);
      if (!userId) continue; // a key the portal didn't create, or one deleted since
      const byPlan = answers.get(userId) ?? new Map<string, Map<string, Answer>>();
      const byKey = byPlan.get(plan.id) ?? new Map<string, Answer>();
      answers.set(userId, byPlan.set(plan.id, byKey.set(keyId, answer)));
    }
  }

  let keys = 0;
  const failed: UsageCollection["failed"] = [];
  // Several users at a time (each under their own lease): at 10,000 users one at a time, the
  // DynamoDB round trips alone would outlast the job's timeout (bench/notifications.ts).
  const queue = [...answers];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [userId, byPlan] = next;
      try {
        // Under the user's lease, so an account deleted meanwhile gets no rows back; then the profile follows.
        keys += await changeAccess(userId, "collect-usage", () => storeAnswers(userId, byPlan, range, quotas), { changed: (written) => written > 0 });
      } catch (error) {
        failed.push({ userId, error: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? STORE_CONCURRENCY, queue.length) }, worker));
  // Then keys idle too long, from the directory as it is now (last-used days just moved with the stores above).
  const unused = await queueUnusedKeyNotices(await allProfiles(), now);
  return { plans: plans.length, keys, users: answers.size - failed.length, failed: [...failed, ...unused.failed], unusedTold: unused.told };
}

/**
 * Stores one user's answers for the keys that are still theirs and still in each plan, and queues
 * the quota alerts they call for; returns how many rows it wrote.
 */
async function storeAnswers(
  userId: string,
  byPlan: UserAnswers,
  range: { start: string; now: number },
  quotas: Map<string, { quota: PlanTerms["quota"]; name: string }>,
): Promise<number> {
  const access = await readUserAccess(userId);
  if (!access.profile || access.profile.status === "deleted") return 0;
  const rows = await readUsageRows(userId);
  const stored = new Map(rows.map((row) => [row.sk, row]));
  let written = 0;
  for (const [planId, byKey] of byPlan) {
    for (const key of keysInPlan(access, planId)) {
      const answer = byKey.get(key.keyId);
      if (!answer) continue;
      const terms = quotas.get(planId);
      const row = await storeUsage(
        mergeUsage(userId, planId, key, stored.get(usageSk(planId, key.keyId)), answer, range.start, range.now, terms?.quota?.limit),
      );
      const productName = access.subscriptions.find((sub) => sub.planId === planId)?.productName ?? terms?.name ?? planId;
      await queueQuotaAlerts(userId, row, terms?.quota, productName);
      written += 1;
    }
  }
  return written;
}
