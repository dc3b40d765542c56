import { listApiKeys, listPlanKeyIds, listUsagePlans, type PlanTerms } from "../apigateway";
import { PROFILE_SK, RETIRING_QUEUE } from "../db/keys";
import { partitionKeys } from "../db/partition";
import { stageIds } from "./conflicts";
import { daysFrom, lastDays, quotaPeriod, utcDay } from "./days";
import { keyAllowance, USER_TAG } from "./keys";
import { expectedPlans, readUserAccess, type UserAccess } from "./rows";
import { MAX_PLANS_PER_KEY } from "./subscriptions";
import type { PlanUsage } from "./types";

/**
 * The access model's invariants: what must hold for a user after any sequence of actions — by the
 * user, an admin, a job or an AWS Marketplace event, concurrent or not — once each has returned.
 * tests/access/model.test.ts checks them after every step of random sequences against the sandbox.
 *
 *   keys-agree          every key row has its API key in API Gateway, and every API key tagged
 *                       with the user has a row (the portal owns no key it doesn't list)
 *   plans-hold-exactly  each live key is in exactly the plans its rows say (rows.ts expectedPlans):
 *                       every active subscription's plan holds the owner's live keys (a marketplace
 *                       plan: its bound key), and pending, rejected, awaiting, failed and ended
 *                       subscriptions grant nothing
 *   limits              at most `keys.maxPerUser` active portal keys (rotated keys in their grace
 *                       period and marketplace keys don't count: keyAllowance), at most 10 plans per
 *                       key, and no two of a key's plans share an API stage
 *   disabled-keys       a disabled account's keys are disabled in API Gateway
 *   deleted-leaves-none a deleted account has no key in API Gateway and no rows but its tombstone
 *                       (the PROFILE row; audit entries live in their own partition)
 *   keys-stop-on-time   every key that stops on its own is on the retiring queue by when it stops:
 *                       a rotated key by `retiresAt`, an active key with an expiry by `expiresAt`
 *                       (expiry.ts); no other key is on it, and no marketplace key has an expiry.
 *                       (That the sweeper leaves no key past its time is the model test's check of
 *                       each sweep: a property of the sweep's `now`, not of one state.)
 *   usage-is-history    (usageViolations) per plan and day, what the user sees — chart and table
 *                       (per key and in total), CSV and the quota period's total — and what the
 *                       admin sees is the sum over every key the user held that day, live or gone
 *
 * "A plan changes only as asked" (a subscribe adds one plan, a switch ends exactly the plans it
 * named, approved and Marketplace plans stay until ended by name) is a property of transitions,
 * not of one state: the model test checks it by comparing each step's outcome with its model.
 *
 * After a step that failed part-way because the control plane did (a 5xx on an undo), the
 * reconciler is what restores these; the model test runs it and then requires them all.
 */

export type InvariantName = "keys-agree" | "plans-hold-exactly" | "limits" | "disabled-keys" | "deleted-leaves-none" | "keys-stop-on-time" | "usage-is-history";
export interface Violation {
  invariant: InvariantName;
  detail: string;
}

/** What API Gateway holds, read once for a check of several users. */
export interface GatewayState {
  keys: Awaited<ReturnType<typeof listApiKeys>>;
  plans: PlanTerms[];
  /** planId → key ids */
  planKeys: Map<string, Set<string>>;
}

export async function readGatewayState(): Promise<GatewayState> {
  const [keys, plans] = await Promise.all([listApiKeys(), listUsagePlans()]);
  const planKeys = new Map(await Promise.all(plans.map(async (plan) => [plan.id, new Set(await listPlanKeyIds(plan.id))] as const)));
  return { keys, plans, planKeys };
}

const stagesOf = (plan: PlanTerms | undefined) => stageIds(plan?.apiStages ?? []);

/** Every invariant but usage-is-history, for one user, against a fresh read of API Gateway. */
export async function accessViolations(userId: string, gateway: GatewayState): Promise<Violation[]> {
  const violations: Violation[] = [];
  const fail = (invariant: InvariantName, detail: string) => violations.push({ invariant, detail });
  const rows = await partitionKeys(userId, { consistent: true });
  const access: UserAccess = await readUserAccess(userId);
  const tagged = gateway.keys.filter((k) => k.tags[USER_TAG] === userId);

  if (access.profile?.status === "deleted") {
    for (const key of tagged) fail("deleted-leaves-none", `API key ${key.id} of a deleted account is still in API Gateway`);
    for (const row of rows) if (row.sk !== PROFILE_SK) fail("deleted-leaves-none", `row ${row.sk} of a deleted account remains`);
    return violations;
  }

  const inGateway = new Map(gateway.keys.map((k) => [k.id, k]));
  const rowIds = new Set(access.keys.map((k) => k.keyId));
  for (const key of access.keys) if (!inGateway.has(key.keyId)) fail("keys-agree", `key row ${key.keyId} has no API key`);
  for (const key of tagged) if (!rowIds.has(key.id)) fail("keys-agree", `API key ${key.id} tagged with the user has no row`);

  const plansById = new Map(gateway.plans.map((p) => [p.id, p]));
  for (const key of access.keys) {
    if (!inGateway.has(key.keyId)) continue;
    const actual = [...gateway.planKeys]
      .filter(([, members]) => members.has(key.keyId))
      .map(([planId]) => planId)
      .sort();
    // A plan deleted from API Gateway can't hold anything: that's the admin pages' business, not drift.
    const wanted = expectedPlans(access, key)
      .filter((planId) => plansById.has(planId))
      .sort();
    if (actual.join() !== wanted.join()) fail("plans-hold-exactly", `key ${key.keyId} (${key.state}) is in [${actual}] but belongs in [${wanted}]`);
    if (actual.length > MAX_PLANS_PER_KEY) fail("limits", `key ${key.keyId} is in ${actual.length} plans`);
    const stages = actual.flatMap((planId) => stagesOf(plansById.get(planId)));
    if (new Set(stages).size !== stages.length) fail("limits", `key ${key.keyId} has two plans for one API stage`);
  }
  for (const key of access.keys) {
    const stops = key.state === "retiring" ? key.retiresAt : key.expiresAt;
    const queued = key.GSI1PK === RETIRING_QUEUE ? key.GSI1SK : undefined;
    if (stops && !queued?.startsWith(`${stops}#`))
      fail("keys-stop-on-time", `key ${key.keyId} (${key.state}) stops at ${stops} but is queued for ${queued ?? "never"}`);
    if (!stops && queued) fail("keys-stop-on-time", `key ${key.keyId} (${key.state}) is on the retiring queue without a time to stop`);
    if (key.boundPlanId && key.expiresAt) fail("keys-stop-on-time", `marketplace key ${key.keyId} has an expiry`);
  }
  const allowance = keyAllowance(access);
  if (allowance.used > allowance.max) fail("limits", `${allowance.used} active keys, more than the ${allowance.max} allowed`);

  if (access.profile?.status === "disabled") {
    for (const key of access.keys) if (inGateway.get(key.keyId)?.enabled) fail("disabled-keys", `key ${key.keyId} of a disabled account is enabled`);
  }
  return violations;
}

/**
 * usage-is-history for one plan: `truth` is what API Gateway counted for the user's keys in it,
 * day → requests summed over every key they held (the model test counts its own successful calls).
 * `view` is the user's PlanUsage at `now`, `csv` its CSV, `admin` the admin's 7-day figure for the plan.
 */
export function usageViolations(view: PlanUsage, csv: string, admin: number | undefined, truth: Map<string, number>, now: number): Violation[] {
  const violations: Violation[] = [];
  const fail = (detail: string) => violations.push({ invariant: "usage-is-history", detail: `${view.productName}: ${detail}` });
  const days = lastDays(view.range, now);
  const shown = new Map(days.map((day) => [day, view.keys.reduce((sum, key) => sum + (key.days.find((d) => d.day === day)?.used ?? 0), 0)]));
  for (const day of days)
    if (shown.get(day) !== (truth.get(day) ?? 0)) fail(`${day}: the chart shows ${shown.get(day)}, API Gateway counted ${truth.get(day) ?? 0}`);

  const fromCsv = new Map<string, number>();
  for (const line of csv.trim().split("\n").slice(1)) {
    const cells = line.split(",");
    fromCsv.set(cells[0]!, (fromCsv.get(cells[0]!) ?? 0) + Number(cells.at(-1)));
  }
  for (const day of days) if ((fromCsv.get(day) ?? 0) !== shown.get(day)) fail(`${day}: the CSV says ${fromCsv.get(day) ?? 0}, the chart ${shown.get(day)}`);

  if (view.quota) {
    const period = quotaPeriod(view.quota, now);
    const expected = daysFrom(period.start, utcDay(now)).reduce((sum, day) => sum + (truth.get(day) ?? 0), 0);
    if (view.periodUsed !== expected) fail(`used this ${view.quota.period.toLowerCase()} shows ${view.periodUsed}, API Gateway counted ${expected}`);
  }
  const week = lastDays(7, now).reduce((sum, day) => sum + (truth.get(day) ?? 0), 0);
  if (admin !== undefined && admin !== week) fail(`the admin sees ${admin} requests in the last 7 days, API Gateway counted ${week}`);
  return violations;
}
