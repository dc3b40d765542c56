/**
 * The WAF rules in front of the portal's CloudFront distribution, as plain data in the shape of
 * Pulumi's `aws.wafv2.WebAclArgs["rules"]` (the return type is left to inference so that
 * infra/web.ts type-checks it against Pulumi's) and testable without SST.
 */

export interface WafSettings {
  rateLimit: number;
  rateWindowSeconds: 60 | 120 | 300 | 600;
  countOnly: boolean;
}

interface VisibilityConfig {
  cloudwatchMetricsEnabled: boolean;
  metricName: string;
  sampledRequestsEnabled: boolean;
}

/** Static files are fingerprinted and cached: they are not what an abusive client costs us. */
export const STATIC_PREFIX = "/_next/static/";

/** CloudWatch metric names allow letters, digits, hyphens and underscores only. */
export function metricName(...parts: string[]): string {
  return parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .slice(0, 128);
}

function visibility(prefix: string, rule: string): VisibilityConfig {
  return { cloudwatchMetricsEnabled: true, metricName: metricName(prefix, rule), sampledRequestsEnabled: true };
}

export function wafRules(settings: WafSettings, prefix: string) {
  return [
    {
      // Per-IP budget over dynamic requests (pages, server actions, auth callbacks, /marketplace/confirm).
      name: "RateLimitPerIp",
      priority: 0,
      action: settings.countOnly ? { count: {} } : { block: {} },
      statement: {
        rateBasedStatement: {
          limit: settings.rateLimit,
          evaluationWindowSec: settings.rateWindowSeconds,
          aggregateKeyType: "IP",
          scopeDownStatement: {
            notStatement: {
              statements: [
                {
                  byteMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    positionalConstraint: "STARTS_WITH",
                    searchString: STATIC_PREFIX,
                    textTransformations: [{ priority: 0, type: "NONE" }],
                  },
                },
              ],
            },
          },
        },
      },
      visibilityConfig: visibility(prefix, "RateLimitPerIp"),
    },
    {
      // OWASP-style basics (bad bots, LFI/RFI, XSS, size limits) maintained by AWS.
      name: "AWSManagedRulesCommonRuleSet",
      priority: 1,
      overrideAction: settings.countOnly ? { count: {} } : { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name: "AWSManagedRulesCommonRuleSet",
          // Server actions and admin forms can exceed the group's 8 KB body limit; count them instead.
          ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
        },
      },
      visibilityConfig: visibility(prefix, "AWSManagedRulesCommonRuleSet"),
    },
  ];
}
