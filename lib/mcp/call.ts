import { revealKey } from "../access/keys";
import { quotaPeriod } from "../access/days";
import { readUserAccess, expectedPlans } from "../access/rows";
import { recordAudit } from "../audit";
import { processCache } from "../cache/process";
import { getApiDocsOrThrow } from "../catalog/docs";
import { getCatalogFor } from "../catalog/read";
import type { Viewer } from "../catalog/types";
import { AppError } from "../errors";
import { enforcePortalLimit } from "../limits/portal";
import { getOperation } from "../openapi";
import { buildTargetUrl, relay, type RelayResponse } from "../try-it/relay";

/**
 * Calls one catalog API operation on the developer's behalf with one of their own keys (MCP's
 * call_operation): the same relay and rules as try-it (catalog stages only, the operation's own
 * path template, no path escapes), counted against their plan like any call with that key, and a
 * 403 or 429 explained in words (no key, not subscribed, throttled, or quota spent until when).
 */

export interface CallInput {
  api: string;
  operation: string;
  keyId?: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}

export interface CallResult extends RelayResponse {
  request: { method: string; url: string; keyId: string; keyName: string; plan: string };
  /** Why the API said no (403, 429), in words, with when to try again. */
  explanation?: string;
}

/**
 * Key values, once read from API Gateway (a control-plane call each), are kept here for a few
 * minutes so an agent's calls don't spend the budget: a revoked or rotated key's stale value only
 * makes the gateway answer 403.
 */
const keyValues = processCache<{ value: string; until: number }>("CallKeyValues", 2_000);
const KEEP_VALUE_MS = 5 * 60_000;

/** Who calls: a token's owner (lib/tokens TokenCaller has this shape). */
interface KeyHolder extends Viewer {
  user: { id: string; email: string | null; groups: string[] };
}

export async function callOperation(caller: KeyHolder, input: CallInput, ip: string, now = Date.now()): Promise<CallResult> {
  const { api, document } = await getApiDocsOrThrow(input.api, caller);
  const operation = getOperation(document, input.operation);
  if (!operation || operation.kind !== "operation")
    throw new AppError("not_found", `${api.name} has no operation '${input.operation}'. Use the slug from its docs URL (/apis/${api.slug}/operations/<slug>).`);
  if (api.portal) throw new AppError("bad_request", "The Developer API is called with a portal token, not an API key: use its endpoints directly.");
  if (!api.invokeUrl) throw new AppError("unavailable", "This API stage has no invoke URL yet.");

  // Which of the developer's plans covers this stage, and which of their keys works there.
  const access = await readUserAccess(caller.user.id);
  const products = (await getCatalogFor(caller)).products.filter((p) => p.plan.apiStages.some((s) => s.apiId === api.apiId && s.stage === api.stage));
  const nowIso = new Date(now).toISOString();
  const usable = access.keys.filter((k) => k.state === "active" || (k.retiresAt ?? "") > nowIso);
  const candidates = usable
    .filter((k) => !input.keyId || k.keyId === input.keyId)
    .map((key) => ({ key, product: products.find((p) => expectedPlans(access, key).includes(p.plan.id)) }))
    .filter((c) => c.product);
  if (input.keyId && !usable.some((k) => k.keyId === input.keyId))
    throw new AppError("not_found", "You have no working key with that id. List your keys with list_my_keys.");
  const chosen = candidates.find((c) => !c.key.boundPlanId && c.key.state === "active") ?? candidates[0];
  if (!chosen) {
    const names = products.map((p) => `${p.name} (${p.slug})`).join(", ");
    if (!usable.length) throw new AppError("conflict", "You have no API key yet. Create one on your dashboard (or with a token that can manage keys).");
    throw new AppError(
      "forbidden",
      names
        ? `None of your active plans includes ${api.name}${input.keyId ? " for that key" : ""}. Subscribe to one of: ${names}.`
        : `${api.name} isn't in any plan you can subscribe to.`,
    );
  }
  const { key, product } = chosen as { key: (typeof usable)[number]; product: (typeof products)[number] };

  await enforcePortalLimit("tryIt", { ip, userId: caller.user.id, isAdmin: caller.isAdmin });
  const cacheKey = `${caller.user.id}/${key.keyId}`;
  let value = keyValues.get(cacheKey);
  if (!value || value.until < now) {
    await enforcePortalLimit("liveReads", { ip, userId: caller.user.id, isAdmin: caller.isAdmin });
    value = keyValues.set(cacheKey, { value: await revealKey(caller.user.id, key.keyId), until: now + KEEP_VALUE_MS }, 1);
  }

  const method = operation.method.toUpperCase();
  const response = await relay({
    invokeUrl: api.invokeUrl,
    method,
    pathTemplate: operation.path,
    pathParams: input.pathParams,
    query: input.query,
    body: input.body,
    contentType: input.contentType,
    apiKey: value.value,
  });
  if (response.status === 403) keyValues.delete(cacheKey);
  const url = buildTargetUrl(api.invokeUrl, operation.path, input.pathParams, input.query).toString();
  await recordAudit({
    type: "api.called",
    subject: { userId: caller.user.id, email: caller.user.email },
    target: `${api.slug} ${method} ${operation.path}`,
    after: { status: response.status, keyId: key.keyId, plan: product.plan.id },
  });
  const explanation = explain(response, product.plan, now);
  return {
    ...redactKey(response, value.value),
    request: { method, url, keyId: key.keyId, keyName: key.name, plan: product.name },
    ...(explanation ? { explanation } : {}),
  };
}

/**
 * The response without the key's value, should the API echo it (a debug endpoint, a proxy that
 * returns the request): calling never reveals a key, only reveal_key (manage scope) does.
 */
export function redactKey(response: RelayResponse, key: string): RelayResponse {
  const masked = `••••${key.slice(-4)}`;
  const forms = [...new Set([key, encodeURIComponent(key)])];
  const scrub = (text: string) => forms.reduce((out, form) => out.split(form).join(masked), text);
  return { ...response, body: scrub(response.body), headers: response.headers.map(([name, v]) => [name, scrub(v)] as [string, string]) };
}

/** What a refusal means for this developer: API Gateway's own words are terse. */
export function explain(
  response: Pick<RelayResponse, "status" | "body" | "headers">,
  plan: { quota?: { limit: number; period: "DAY" | "WEEK" | "MONTH"; offset: number }; throttle?: { rateLimit?: number; burstLimit?: number } },
  now = Date.now(),
): string | undefined {
  const errorType = response.headers.find(([name]) => name.toLowerCase() === "x-amzn-errortype")?.[1] ?? "";
  if (response.status === 429) {
    if (/LimitExceeded/i.test(errorType) || /limit exceeded/i.test(response.body)) {
      if (!plan.quota) return "The plan's quota is used up.";
      const resetsAt = new Date(quotaPeriod(plan.quota, now).resetsAt).toISOString();
      return `Quota used up: this plan allows ${plan.quota.limit} requests per ${plan.quota.period.toLowerCase()}, and this key has used them. It resets at ${resetsAt}.`;
    }
    const rate = plan.throttle?.rateLimit;
    return `Throttled: too many requests per second for this plan${rate ? ` (${rate}/s, burst ${plan.throttle?.burstLimit ?? rate})` : ""}. Wait a second and try again.`;
  }
  if (response.status === 403) {
    if (/MissingAuthenticationToken/i.test(errorType)) return "API Gateway has no such route on this stage (the deployed API may differ from its docs).";
    return "API Gateway refused the key: it may have been revoked, rotated or removed from the plan a moment ago, or the plan change hasn't reached the gateway yet. Check list_my_keys and try again.";
  }
  return undefined;
}
