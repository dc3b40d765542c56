import { STATUS_CODES } from "node:http";
import { recordAudit } from "../audit";
import type { CatalogApi } from "../catalog/types";
import type { Operation } from "../openapi/types";
import { explain, redactKey, type ExplainOptions } from "./explain";
import { forgetKeyValue, keyValue, type KeyChoice, type KeyHolder } from "./keys";
import { buildTargetUrl, relay, type RelayResponse } from "./relay";

/**
 * One call of a catalog operation on a developer's behalf, with one of their own keys (chosen by
 * pickKey) or none: the relay's rules (catalog stages only, the operation's own path template),
 * counted against their plan like any call with that key, audited, the key's value scrubbed from
 * the answer, and a 403 or 429 explained. Used by /api/try and MCP's call_operation.
 */

export interface CallParts {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}

export interface CallResult extends RelayResponse {
  request: { method: string; url: string; keyId?: string; keyName?: string; plan?: string };
  /** Why the API said no (403, 429), in words, with when to try again. */
  explanation?: string;
}

export async function callWithKey(
  caller: KeyHolder & { isAdmin: boolean },
  target: { api: CatalogApi & { invokeUrl: string }; operation: Pick<Operation, "method" | "path"> },
  choice: KeyChoice | undefined,
  parts: CallParts,
  context: { ip: string; via: "try-it" | "mcp"; now?: number } & ExplainOptions,
): Promise<CallResult> {
  const { api, operation } = target;
  const now = context.now ?? Date.now();
  const method = operation.method.toUpperCase();
  // Checked before the key's value is read: a path that leaves the API costs nothing.
  const url = buildTargetUrl(api.invokeUrl, operation.path, parts.pathParams, parts.query).toString();
  const value = choice ? await keyValue(caller, choice.key.keyId, context.ip, now) : undefined;
  const response = await relay({
    invokeUrl: api.invokeUrl,
    method,
    pathTemplate: operation.path,
    ...parts,
    ...(value ? { apiKey: value } : {}),
  });
  if (response.status === 403 && choice) forgetKeyValue(caller.user.id, choice.key.keyId);
  await recordAudit({
    type: "api.called",
    subject: { userId: caller.user.id, email: caller.user.email, ...(caller.team ? { team: caller.team } : {}) },
    target: `${api.slug} ${method} ${operation.path}`,
    after: { status: response.status, via: context.via, ...(choice ? { keyId: choice.key.keyId, plan: choice.product.plan.id } : {}) },
  });
  const explanation = explain(response, choice?.product.plan, now, context);
  const answered = value ? redactKey(response, value) : response;
  return {
    ...answered,
    // HTTP/2 has no reason phrases: the standard one for the status then.
    statusText: answered.statusText || STATUS_CODES[answered.status] || "",
    request: { method, url, ...(choice ? { keyId: choice.key.keyId, keyName: choice.key.name, plan: choice.product.name } : {}) },
    ...(explanation ? { explanation } : {}),
  };
}
