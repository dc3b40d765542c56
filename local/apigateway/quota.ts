import type { QuotaSettings } from "./state";

const DAY_MS = 86_400_000;

export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * First day of the quota period containing `day`. The offset is the day the period starts:
 * WEEK 0 = Sunday … 6 = Saturday; MONTH 0 = the 1st … 27 = the 28th; DAY has none.
 */
export function periodStart(day: string, quota: Pick<QuotaSettings, "period" | "offset">): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (quota.period === "DAY") return day;
  if (quota.period === "WEEK") {
    const back = (date.getUTCDay() - quota.offset + 7) % 7;
    return utcDay(new Date(date.getTime() - back * DAY_MS));
  }
  const startDay = quota.offset + 1;
  const start = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - (date.getUTCDate() < startDay ? 1 : 0), startDay));
  return utcDay(start);
}

/** Days from `start` to `end` inclusive (YYYY-MM-DD). */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += DAY_MS) days.push(utcDay(new Date(t)));
  return days;
}
