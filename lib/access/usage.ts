import { getKeyUsage, type PlanTerms } from "../apigateway";
import { csvLines } from "../csv";
import { conditionally, getItem, putItem, rowAbsent, updateItem } from "../db/items";
import { keySk, usageSk, userPk } from "../db/keys";
import { readUsageRows } from "../db/partition";
import { readProfileRow } from "../db/profiles";
import type { KeyRow, UsageRow } from "../db/rows";
import { AppError } from "../errors";
import { DAY_MS, dayStart, daysFrom, lastDays, quotaPeriod, utcDay } from "./days";
import { queueQuotaAlerts } from "./quota-alerts";
import { changeAccess } from "./profile";
import { keysInPlan, readUserAccess } from "./rows";
import type { KeyUsage, PlanUsage } from "./types";

/**
 * Usage without burning the control-plane budget: a finished day never changes, so it is read from
 * API Gateway once and kept in the user's partition; only unfinished days go back to GetUsage, at
 * most once a minute per key and plan (once per 10 s when the user asks for a refresh).
 *
 * Usage is history, kept per plan, key and day, and it outlives the key: before a key leaves a plan
 * or is deleted (API Gateway stops answering for a deleted key) `keepUsage` stores what is left to
 * read, and every view sums over all the keys the user held in the plan, live or gone.
 */

/** A day counts as finished an hour after it ends (UTC), leaving API Gateway time to settle its counts. */
const SETTLE_MS = 3_600_000;
const RECENT_TTL_MS = 60_000;
const MIN_REFRESH_MS = 10_000;
/** Finished days kept per key and plan: the longest range shown, plus slack. */
const KEEP_DAYS = 100;
/** GetUsage answers at most 90 days at once. */
const MAX_RANGE_DAYS = 90;

export const isFinished = (day: string, now: number) => now >= dayStart(day) + DAY_MS + SETTLE_MS;

type UsageKey = Pick<KeyRow, "keyId" | "name" | "hint">;

/**
 * A key's stored usage row after a GetUsage answer: `used` holds one count per day from `start` to
 * today. Finished days join the kept ones (older than KEEP_DAYS are dropped); the rest are recent.
 */
export function mergeUsage(
  userId: string,
  planId: string,
  key: UsageKey,
  row: UsageRow | undefined,
  answer: { used: number[]; remaining?: number },
  start: string,
  now: number,
  quotaLimit?: number,
): UsageRow {
  const today = utcDay(now);
  const final: Record<string, number> = {};
  const recent: Record<string, number> = {};
  const oldest = utcDay(dayStart(today) - KEEP_DAYS * DAY_MS);
  for (const [day, n] of Object.entries(row?.final ?? {})) if (day >= oldest) final[day] = n;
  daysFrom(start, today).forEach((day, i) => ((isFinished(day, now) ? final : recent)[day] = answer.used[i] ?? 0));
  const remaining = answer.remaining;
  return {
    pk: userPk(userId),
    sk: usageSk(planId, key.keyId),
    planId,
    keyId: key.keyId,
    keyName: key.name,
    keyHint: key.hint,
    final,
    recent,
    ...(remaining !== undefined ? { remaining } : {}),
    ...(quotaLimit ? { quotaLimit } : {}),
    fetchedAt: now,
  };
}

/**
 * Two answers for the same key and plan, as one: a day's count only ever grows, so each day keeps
 * the larger count (finished if either says so), and quota figures come from the newer answer.
 * Order-free, so answers stored late (a slow request, another server's clock) never lose a call.
 */
export function combineUsage(a: UsageRow, b: UsageRow): UsageRow {
  const [older, newer] = a.fetchedAt <= b.fetchedAt ? [a, b] : [b, a];
  const oldest = utcDay(dayStart(utcDay(newer.fetchedAt)) - KEEP_DAYS * DAY_MS);
  const final: Record<string, number> = {};
  for (const day of new Set([...Object.keys(a.final), ...Object.keys(b.final)])) {
    if (day >= oldest) final[day] = Math.max(a.final[day] ?? 0, b.final[day] ?? 0, a.recent[day] ?? 0, b.recent[day] ?? 0);
  }
  const recent: Record<string, number> = {};
  for (const day of new Set([...Object.keys(a.recent), ...Object.keys(b.recent)]))
    if (!(day in final)) recent[day] = Math.max(a.recent[day] ?? 0, b.recent[day] ?? 0);
  return { ...older, ...newer, final, recent };
}

/** The last day a usage row counts any requests on (YYYY-MM-DD), if any. */
export function lastUsedDayOf(row: Pick<UsageRow, "final" | "recent">): string | undefined {
  let last: string | undefined;
  for (const [day, n] of [...Object.entries(row.final), ...Object.entries(row.recent)]) if (n > 0 && (!last || day > last)) last = day;
  return last;
}

/**
 * Moves the key's `lastUsedDay` (on its KEY# row, where the dashboard's one Query reads it) forward
 * to `day`: a conditional update that never moves it back and never brings back a deleted key's row.
 */
async function noteLastUsed(row: Pick<UsageRow, "pk" | "keyId">, day: string): Promise<void> {
  await conditionally(
    updateItem(
      { pk: row.pk, sk: keySk(row.keyId) },
      { expression: "SET lastUsedDay = :day", values: { ":day": day } },
      { condition: { expression: "attribute_exists(pk) AND (attribute_not_exists(lastUsedDay) OR lastUsedDay < :day)" } },
    ),
  );
}

/**
 * Stores a usage answer combined with whatever is stored already (combineUsage), with a conditional
 * write on the version read, so concurrent stores never drop each other's counts. Returns the row stored.
 * Every store goes through here (the dashboard's views, the collector, keeping a leaving key's
 * usage), so here the key's last-used day follows: noted on the key when it moves past the one
 * the row says was noted, so a day costs one extra write at most.
 */
export async function storeUsage(next: UsageRow): Promise<UsageRow> {
  for (let attempt = 0; ; attempt++) {
    const current = await getItem<UsageRow & { version?: number }>(next, { consistent: true });
    const version = current?.version ?? 0;
    const row = { ...(current ? combineUsage(current, next) : next), version: version + 1 };
    const noted = [current?.lastUsedDay, next.lastUsedDay].filter(Boolean).sort().at(-1);
    const used = lastUsedDayOf(row);
    if (used && (!noted || used > noted)) {
      // The key first: a usage row claiming a day the key doesn't show would never be retried.
      await noteLastUsed(row, used);
      row.lastUsedDay = used;
    } else if (noted) row.lastUsedDay = noted;
    const stored = await conditionally(
      putItem(row, current ? { expression: "attribute_not_exists(version) OR version = :version", values: { ":version": version } } : rowAbsent),
    );
    if (stored) return row;
    if (attempt >= 5) throw new AppError("unavailable", "Usage is being updated by another request. Try again in a moment.");
  }
}

/** A key's row with API Gateway's answer from `start` to today combined in (not stored yet). */
async function fetchRow(
  userId: string,
  planId: string,
  key: UsageKey,
  row: UsageRow | undefined,
  start: string,
  now: number,
  quotaLimit?: number,
): Promise<UsageRow> {
  const answer = await getKeyUsage(planId, key.keyId, start, utcDay(now));
  const merged = mergeUsage(userId, planId, key, row, answer, start, now, quotaLimit ?? row?.quotaLimit);
  return row ? combineUsage(row, merged) : merged;
}

/** The user's stored usage rows by sort key, of one plan or of all (one Query). */
async function readUsage(userId: string, planId?: string): Promise<Map<string, UsageRow>> {
  const rows = await readUsageRows(userId, { ...(planId ? { planId } : {}), consistent: true });
  return new Map(rows.map((r) => [r.sk, r]));
}

/**
 * Stores what API Gateway still knows of each key's use of each plan in `planIds`, before the keys
 * leave them or are deleted: one GetUsage per key and plan (paced by `pace`, for the jobs), from the
 * first day (since the key was made, at most 90 days back) not already kept. Run under the user's
 * lease. Throws when API Gateway can't answer, so the caller stops before anything is lost.
 */
export async function keepUsage(userId: string, keys: KeyRow[], planIds: string[], pace: () => Promise<void> = async () => undefined): Promise<void> {
  if (!keys.length || !planIds.length) return;
  const now = Date.now();
  const rows = await readUsage(userId);
  const today = utcDay(now);
  for (const key of keys) {
    const earliest = [utcDay(Date.parse(key.createdAt)), utcDay(dayStart(today) - (MAX_RANGE_DAYS - 1) * DAY_MS)].sort().at(-1)!;
    for (const planId of planIds) {
      const row = rows.get(usageSk(planId, key.keyId));
      const start = daysFrom(earliest, today).find((day) => row?.final[day] === undefined) ?? today;
      await pace();
      await storeUsage(await fetchRow(userId, planId, key, row, start, now));
    }
  }
}

/**
 * Stores a view's fresh answers under the user's lease, so an account deleted meanwhile gets no row
 * back, and the profile the admin overview reads follows; queues the quota alerts they call for. When the lease stays busy the answers
 * are shown but not kept: the next view asks again.
 */
async function keepAnswers(userId: string, rows: UsageRow[], now: number, alerts: { quota?: PlanTerms["quota"]; productName: string }): Promise<void> {
  await changeAccess(
    userId,
    "store-usage",
    async () => {
      // An account deleted while its usage was being fetched keeps only its tombstone.
      if ((await readProfileRow(userId))?.status === "deleted") return false;
      for (const row of rows) await queueQuotaAlerts(userId, await storeUsage(row), alerts.quota, alerts.productName);
      return true;
    },
    { changed: (stored) => stored, now },
  ).catch((error: unknown) => {
    if (!(error instanceof AppError && error.code === "unavailable")) throw error;
  });
}

/**
 * Daily requests of each of the user's keys in one plan over the last `range` days — every key
 * they held in it, including rotated, revoked and swept ones — with the plan's throttle and quota
 * (`plan`, from the catalog) and how much of the quota period is used.
 */
export async function getPlanUsage(
  userId: string,
  planId: string,
  range: 7 | 30 | 90,
  options: { plan?: PlanTerms; refresh?: boolean; now?: number } = {},
): Promise<PlanUsage> {
  const now = options.now ?? Date.now();
  const access = await readUserAccess(userId);
  const sub = access.subscriptions.find((s) => s.planId === planId && s.state === "active");
  if (!sub) throw new AppError("not_found", "You have no active subscription to that plan.");
  const rows = await readUsage(userId, planId);
  const days = lastDays(range, now);
  const quota = options.plan?.quota;
  const period = quota ? quotaPeriod(quota, now) : undefined;
  // The quota period may start before the range: its days are read too, to sum what was used in it.
  const needed = period && period.start < days[0]! ? daysFrom(period.start, days.at(-1)!) : days;
  const maxAge = options.refresh ? MIN_REFRESH_MS : RECENT_TTL_MS;

  const live = keysInPlan(access, planId);
  const fetched: UsageRow[] = [];
  const current = await Promise.all(
    live.map(async (key) => {
      let row = rows.get(usageSk(planId, key.keyId));
      const missing = needed.filter((d) => !isFinished(d, now) || row?.final[d] === undefined);
      const firstMissingFinal = missing.find((d) => isFinished(d, now));
      const stale = !row || now - row.fetchedAt >= maxAge;
      if (firstMissingFinal || (missing.length && stale))
        fetched.push((row = await fetchRow(userId, planId, key, row, firstMissingFinal ?? missing[0]!, now, quota?.limit)));
      return { key: { keyId: key.keyId, keyName: key.name, keyHint: key.hint, status: key.state } as const, row };
    }),
  );
  if (fetched.length) await keepAnswers(userId, fetched, now, { ...(quota ? { quota } : {}), productName: sub.productName });
  const liveIds = new Set(live.map((k) => k.keyId));
  // Keys no longer in the plan: their history as it was kept when they left.
  const gone = [...rows.values()]
    .filter((row) => !liveIds.has(row.keyId))
    .map((row) => ({ key: { keyId: row.keyId, keyName: row.keyName ?? "Deleted key", keyHint: row.keyHint ?? "", status: "gone" as const }, row }));

  const countsOf = (row: UsageRow | undefined) => ({ ...row?.final, ...row?.recent });
  const keys: KeyUsage[] = [...current, ...gone].map(({ key, row }) => {
    const counts = countsOf(row);
    const remaining = key.status !== "gone" && row?.remaining !== undefined && quota ? { remaining: row.remaining } : {};
    return { ...key, days: days.map((day) => ({ day, used: counts[day] ?? 0 })), ...remaining };
  });

  const periodDays = period ? daysFrom(period.start, utcDay(now)) : [];
  const periodUsed = [...current, ...gone].reduce((sum, { row }) => {
    const counts = countsOf(row);
    return sum + periodDays.reduce((n, day) => n + (counts[day] ?? 0), 0);
  }, 0);
  // API Gateway applies the quota to each key: the warning follows the busiest live key.
  const shares = quota && quota.limit > 0 ? keys.flatMap((k) => (k.remaining === undefined ? [] : [Math.max(0, quota.limit - k.remaining) / quota.limit])) : [];
  const fetchedAt = Math.min(now, ...current.map(({ row }) => row?.fetchedAt ?? now));
  return {
    planId,
    productSlug: sub.productSlug,
    productName: sub.productName,
    range,
    keys,
    ...(options.plan?.throttle ? { throttle: options.plan.throttle } : {}),
    ...(quota && period ? { quota, periodUsed, periodShare: Math.max(0, ...shares), quotaResetsAt: new Date(period.resetsAt).toISOString() } : {}),
    fetchedAt: new Date(fetchedAt).toISOString(),
  };
}

export function usageCsv(usage: PlanUsage): string {
  const rows = usage.keys.flatMap((key) => key.days.map(({ day, used }) => [day, usage.productName, key.keyName, key.keyId, key.status, used]));
  return csvLines(["day", "product", "key_name", "key_id", "key_status", "requests"], rows);
}
