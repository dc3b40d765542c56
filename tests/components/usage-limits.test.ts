import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tabulate, UsageLimits } from "@/components/access/usage-details";
import type { PlanUsage } from "@/lib/access/types";

function usage(remaining: [number, number]): PlanUsage {
  const day = (d: string, used: number) => ({ day: d, used });
  return {
    planId: "p1",
    productSlug: "free",
    productName: "Free",
    range: 7,
    keys: [
      { keyId: "k1", keyName: "laptop", keyHint: "abcd", status: "active", days: [day("2026-11-20", 100), day("2026-11-21", 50)], remaining: remaining[0] },
      { keyId: "k2", keyName: "ci", keyHint: "wxyz", status: "active", days: [day("2026-11-21", 7), day("2026-11-20", 1)], remaining: remaining[1] },
    ],
    throttle: { rateLimit: 2, burstLimit: 5 },
    quota: { limit: 1000, period: "MONTH", offset: 0 },
    periodUsed: 2000 - remaining[0] - remaining[1],
    periodShare: Math.max(1000 - remaining[0], 1000 - remaining[1]) / 1000,
    fetchedAt: "2026-11-21T12:00:00.000Z",
  };
}

describe("usage beside the plan's limits", () => {
  it("warns from 80 % of the quota period, naming the busiest key", () => {
    const html = renderToStaticMarkup(createElement(UsageLimits, { usage: usage([160, 990]) }));
    expect(html).toContain('role="status"');
    expect(html).toContain("You&#x27;ve used 84 % of this month&#x27;s quota on key laptop ••••abcd.");
    expect(html).toContain('aria-valuenow="850"');
  });

  it("stays quiet below 80 %, and says when the quota is used up", () => {
    expect(renderToStaticMarkup(createElement(UsageLimits, { usage: usage([201, 990]) }))).not.toContain('role="status"');
    expect(renderToStaticMarkup(createElement(UsageLimits, { usage: usage([0, 990]) }))).toContain("Calls get 429 until the period resets.");
  });

  it("says when the quota resets, when it is known", () => {
    const exhausted = { ...usage([0, 990]), quotaResetsAt: "2026-12-01T00:00:00.000Z" };
    expect(renderToStaticMarkup(createElement(UsageLimits, { usage: exhausted }))).toContain(
      "Calls get 429 until the quota resets on Dec 1, 2026, 12:00 AM UTC.",
    );
    const near = { ...usage([160, 990]), quotaResetsAt: "2026-12-01T00:00:00.000Z" };
    expect(renderToStaticMarkup(createElement(UsageLimits, { usage: near }))).toContain("It resets on Dec 1, 2026, 12:00 AM UTC.");
  });

  it("lines up every key's days for the chart and the table", () => {
    expect(tabulate(usage([0, 0]))).toEqual({
      days: ["2026-11-20", "2026-11-21"],
      perKey: [
        [100, 50],
        [1, 7],
      ],
      totals: [101, 57],
      total: 158,
    });
  });
});
