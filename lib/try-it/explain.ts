import { quotaPeriod } from "../access/days";
import type { PlanTerms } from "../apigateway/types";
import type { RelayResponse } from "./relay";

/**
 * What an API's answer means for the developer who sent it, shared by try-it (/api/try) and the
 * MCP server's call_operation: API Gateway's own words for a 403 or 429 are terse.
 */

/** The plan terms an explanation needs (a product's plan, or nothing when no key was sent). */
export type ExplainPlan = Pick<PlanTerms, "quota" | "throttle">;

/** Where the reader goes to check their keys: the docs' island says "your dashboard", an agent "list_my_keys". */
export interface ExplainOptions {
  checkKeys?: string;
}

/** A 403 or 429 in words, with when to try again; undefined for anything else. */
export function explain(
  response: Pick<RelayResponse, "status" | "body" | "headers">,
  plan: ExplainPlan | undefined,
  now = Date.now(),
  options: ExplainOptions = {},
): string | undefined {
  const errorType = response.headers.find(([name]) => name.toLowerCase() === "x-amzn-errortype")?.[1] ?? "";
  if (response.status === 429) {
    if (/LimitExceeded/i.test(errorType) || /limit exceeded/i.test(response.body)) {
      if (!plan?.quota) return "The plan's quota is used up.";
      const resetsAt = new Date(quotaPeriod(plan.quota, now).resetsAt).toISOString();
      return `Quota used up: this plan allows ${plan.quota.limit} requests per ${plan.quota.period.toLowerCase()}, and this key has used them. It resets at ${resetsAt}.`;
    }
    const rate = plan?.throttle?.rateLimit;
    return `Throttled: too many requests per second for this plan${rate ? ` (${rate}/s, burst ${plan?.throttle?.burstLimit ?? rate})` : ""}. Wait a second and try again.`;
  }
  if (response.status === 403) {
    if (/MissingAuthenticationToken/i.test(errorType)) return "API Gateway has no such route on this stage (the deployed API may differ from its docs).";
    if (!plan) return "API Gateway refused the request: this operation needs an API key, and none was sent.";
    return `API Gateway refused the key: it may have been revoked, rotated or removed from the plan a moment ago, or the plan change hasn't reached the gateway yet. ${options.checkKeys ?? "Check your keys"} and try again.`;
  }
  return undefined;
}

/**
 * The response without the key's value, should the API echo it (a debug endpoint, a proxy that
 * returns the request): calling never reveals a key, only revealing it does. A body cut short
 * (`truncated`) may end part-way through the key: that leading part is masked too.
 */
export function redactKey<R extends Pick<RelayResponse, "body" | "headers"> & { truncated?: boolean }>(response: R, key: string): R {
  if (!key) return response;
  const masked = `••••${key.slice(-4)}`;
  const forms = [...new Set([key, encodeURIComponent(key)])];
  const scrub = (text: string) => forms.reduce((out, form) => out.split(form).join(masked), text);
  let body = scrub(response.body);
  const cut = response.truncated ? trailingPrefix(body, forms) : 0;
  if (cut) body = `${body.slice(0, -cut)}••••`;
  return { ...response, body, headers: response.headers.map(([name, v]) => [name, scrub(v)] as [string, string]) };
}

/** The length of the longest start of one of `forms` that `text` ends with (0 if none). */
function trailingPrefix(text: string, forms: string[]): number {
  let longest = 0;
  for (const form of forms) for (let n = Math.min(form.length - 1, text.length); n > longest; n--) if (text.endsWith(form.slice(0, n))) longest = n;
  return longest;
}
