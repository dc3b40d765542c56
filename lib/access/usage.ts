import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { getKeyUsage, type PlanTerms } from "../apigateway";
import { csvLines } from "../csv";
import { db } from "../db/client";
import { tableName } from "../db/table";
import { AppError } from "../errors";
import { DAY_MS, dayStart, lastDays, utcDay } from "./days";
import { syncProfile } from "../users/sync";
import { keysInPlan, queryAll, readUserAccess, usageSk, userPk, type KeyRow, type UsageRow } from "./rows";
import type { KeyUsage, PlanUsage } from "./types";

/**
 * Usage without burning the control-plane budget: a finished day never changes, so it is read from
 * API Gateway once and kept in the user's partition; only unfinished days go back to GetUsage, at
 * most once a minute per key and plan (once per 10 s when the user asks for a refresh).
 */

/** A day counts as finished an hour after it ends (UTC), leaving API Gateway time to settle its counts. */
const SETTLE_MS = 3_600_000;
const RECENT_TTL_MS = 60_000;
const MIN_REFRESH_MS = 10_000;
/** Finished days kept per key and plan: the longest range shown, plus slack. */
const KEEP_DAYS = 100;

export const isFinished = (day: string, now: number) => now >= dayStart(day) + DAY_MS + SETTLE_MS;

function daysFrom(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(start); t <= dayStart(end); t += DAY_MS) days.push(utcDay(t));
  return days;
}

/**
 * A key's stored usage row after a GetUsage answer: `used` holds one count per day from `start` to
 * today. Finished days join the kept ones (older than KEEP_DAYS are dropped); the rest are recent.
 */
export function mergeUsage(
  userId: string,
  planId: string,
  keyId: string,
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
  return { pk: userPk(userId), sk: usageSk(planId, keyId), planId, keyId, final, recent, ...(remaining !== undefined ? { remaining } : {}), ...(quotaLimit ? { quotaLimit } : {}), fetchedAt: now };
}

/** Stores a usage row unless a newer answer is already there: concurrent fetches never go back in time. */
export async function storeUsage(next: UsageRow): Promise<void> {
  await db
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: next,
        ConditionExpression: "attribute_not_exists(pk) OR fetchedAt < :now",
        ExpressionAttributeValues: { ":now": next.fetchedAt },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
}

async function refreshRow(userId: string, planId: string, key: KeyRow, row: UsageRow | undefined, start: string, now: number, quotaLimit?: number): Promise<UsageRow> {
  const answer = await getKeyUsage(planId, key.keyId, start, utcDay(now));
  const next = mergeUsage(userId, planId, key.keyId, row, answer, start, now, quotaLimit);
  await storeUsage(next);
  return next;
}

/**
 * Daily requests of each of the user's keys in one plan over the last `range` days, with the plan's
 * throttle and quota (`plan`, from the catalog) and how much of the quota period is used.
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
  const rows = new Map(
    (await queryAll<UsageRow>({ KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)", ExpressionAttributeValues: { ":pk": userPk(userId), ":prefix": `USAGE#${planId}#` } })).map((r) => [r.keyId, r]),
  );
  const days = lastDays(range, now);
  const maxAge = options.refresh ? MIN_REFRESH_MS : RECENT_TTL_MS;

  const fetchedAts: number[] = [];
  let fetched = false;
  const keys: KeyUsage[] = await Promise.all(
    keysInPlan(access, planId).map(async (key) => {
      let row = rows.get(key.keyId);
      const missing = days.filter((d) => !isFinished(d, now) || row?.final[d] === undefined);
      const firstMissingFinal = missing.find((d) => isFinished(d, now));
      const stale = !row || now - row.fetchedAt >= maxAge;
      if (firstMissingFinal || (missing.length && stale)) {
        row = await refreshRow(userId, planId, key, row, firstMissingFinal ?? missing[0]!, now, options.plan?.quota?.limit);
        fetched = true;
      }
      fetchedAts.push(row?.fetchedAt ?? now);
      const counts = { ...row?.final, ...row?.recent };
      return {
        keyId: key.keyId,
        keyName: key.name,
        days: days.map((day) => ({ day, used: counts[day] ?? 0 })),
        ...(row?.remaining !== undefined && options.plan?.quota ? { remaining: row.remaining } : {}),
      };
    }),
  );

  // The admin overview reads usage from profiles: keep this user's summary current.
  if (fetched) await syncProfile(userId, now);
  const quota = options.plan?.quota;
  const usedInPeriod = quota ? keys.map((k) => (k.remaining === undefined ? 0 : Math.max(0, quota.limit - k.remaining))) : [];
  const fetchedAt = Math.min(now, ...fetchedAts);
  return {
    planId,
    productSlug: sub.productSlug,
    productName: sub.productName,
    range,
    keys,
    ...(options.plan?.throttle ? { throttle: options.plan.throttle } : {}),
    ...(quota
      ? {
          quota,
          periodUsed: usedInPeriod.reduce((a, b) => a + b, 0),
          periodShare: quota.limit > 0 ? Math.max(0, ...usedInPeriod.map((u) => u / quota.limit)) : 0,
        }
      : {}),
    fetchedAt: new Date(fetchedAt).toISOString(),
  };
}

export function usageCsv(usage: PlanUsage): string {
  const rows = usage.keys.flatMap((key) => key.days.map(({ day, used }) => [day, usage.productName, key.keyName, key.keyId, used]));
  return csvLines(["day", "product", "key_name", "key_id", "requests"], rows);
}
