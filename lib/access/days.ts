/** UTC calendar days as `YYYY-MM-DD`, the unit API Gateway reports usage in. */

export const DAY_MS = 86_400_000;

export const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The `count` days ending today, oldest first. */
export function lastDays(count: number, now: number): string[] {
  const today = dayStart(utcDay(now));
  return Array.from({ length: count }, (_, i) => utcDay(today - (count - 1 - i) * DAY_MS));
}
