import { describe, expect, it } from "vitest";
import { daysBetween, periodStart } from "@/local/apigateway/quota";
import { DAY_MS, quotaPeriod, utcDay } from "@/lib/access/days";

describe("quota periods", () => {
  it("start where the sandbox's API Gateway starts counting, and reset the day after the period's last", () => {
    const periods = [
      { period: "DAY" as const, offset: 0 },
      ...[0, 1, 6].map((offset) => ({ period: "WEEK" as const, offset })),
      ...[0, 14, 27].map((offset) => ({ period: "MONTH" as const, offset })),
    ];
    for (const day of daysBetween("2026-01-01", "2027-03-31")) {
      for (const quota of periods) {
        const now = Date.parse(`${day}T13:45:00Z`);
        const { start, resetsAt } = quotaPeriod(quota, now);
        expect(start, `${quota.period}/${quota.offset} on ${day}`).toBe(periodStart(day, quota));
        // The day the quota resets is the first day of the next period.
        expect(periodStart(utcDay(resetsAt), quota)).toBe(utcDay(resetsAt));
        expect(periodStart(utcDay(resetsAt - DAY_MS), quota)).toBe(start);
      }
    }
  });
});
