/** UTC calendar days as `YYYY-MM-DD`, the unit API Gateway reports usage in. */

export const DAY_MS = 86_400_000;

export const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The `count` days ending today, oldest first. */
export function lastDays(count: number, now: number): string[] {
  const today = dayStart(utcDay(now));
  return Array.from({ length: count }, (_, i) => utcDay(today - (count - 1 - i) * DAY_MS));
}

/** Days from `start` to `end` inclusive. */
export function daysFrom(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(start); t <= dayStart(end); t += DAY_MS) days.push(utcDay(t));
  return days;
}

/**
 * The quota period containing `now`, as API Gateway counts it: its first day, and when the next
 * one starts (the quota resets). The offset is the day a period starts: WEEK 0 = Sunday …
 * 6 = Saturday; MONTH 0 = the 1st … 27 = the 28th; DAY has none.
 */
export function quotaPeriod(quota: { period: "DAY" | "WEEK" | "MONTH"; offset: number }, now: number): { start: string; resetsAt: number } {
  const today = dayStart(utcDay(now));
  // API Gateway accepts 0–6 (WEEK) and 0–27 (MONTH); anything else is read as the nearest it could mean.
  const offset = Math.max(0, Math.trunc(quota.offset) || 0);
  if (quota.period === "DAY") return { start: utcDay(today), resetsAt: today + DAY_MS };
  if (quota.period === "WEEK") {
    const back = (new Date(today).getUTCDay() - (offset % 7) + 7) % 7;
    return { start: utcDay(today - back * DAY_MS), resetsAt: today + (7 - back) * DAY_MS };
  }
  const date = new Date(today);
  const startDay = Math.min(offset, 27) + 1;
  const month = date.getUTCMonth() - (date.getUTCDate() < startDay ? 1 : 0);
  return { start: utcDay(Date.UTC(date.getUTCFullYear(), month, startDay)), resetsAt: Date.UTC(date.getUTCFullYear(), month + 1, startDay) };
}
