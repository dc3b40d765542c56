import { describe, expect, it } from "vitest";
import { metricName, STATIC_PREFIX, wafRules } from "@/infra/lib/waf";

const defaults = { rateLimit: 2000, rateWindowSeconds: 300, countOnly: false } as const;

describe("WAF rules", () => {
  it("blocks an IP over the rate limit, counting dynamic requests only", () => {
    const [rate] = wafRules(defaults, "portico-prod");
    expect(rate).toMatchObject({ name: "RateLimitPerIp", priority: 0, action: { block: {} } });
    expect(rate!.statement.rateBasedStatement).toMatchObject({ limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" });
    const [excluded] = rate!.statement.rateBasedStatement!.scopeDownStatement.notStatement.statements;
    expect(excluded!.byteMatchStatement).toMatchObject({ fieldToMatch: { uriPath: {} }, positionalConstraint: "STARTS_WITH", searchString: STATIC_PREFIX });
  });

  it("applies the AWS common rule set, counting (not blocking) large bodies", () => {
    const [, common] = wafRules(defaults, "portico-prod");
    expect(common).toMatchObject({ name: "AWSManagedRulesCommonRuleSet", priority: 1, overrideAction: { none: {} } });
    expect(common!.statement.managedRuleGroupStatement).toEqual({
      vendorName: "AWS",
      name: "AWSManagedRulesCommonRuleSet",
      ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
    });
  });

  it("follows the tuning settings", () => {
    const [rate] = wafRules({ rateLimit: 300, rateWindowSeconds: 60, countOnly: false }, "p");
    expect(rate!.statement.rateBasedStatement).toMatchObject({ limit: 300, evaluationWindowSec: 60 });
  });

  it("only counts in count-only mode, so owners can watch before enforcing", () => {
    const [rate, common] = wafRules({ ...defaults, countOnly: true }, "p");
    expect(rate!.action).toEqual({ count: {} });
    expect(common!.overrideAction).toEqual({ count: {} });
  });

  it("uses unique priorities and valid, per-stage metric names", () => {
    const rules = wafRules(defaults, "portico-my.stage");
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    for (const rule of rules) expect(rule.visibilityConfig.metricName).toMatch(/^portico-my-stage-[A-Za-z0-9_-]+$/);
    expect(metricName("a b", "c/d")).toBe("a-b-c-d");
  });
});
