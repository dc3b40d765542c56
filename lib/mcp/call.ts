import { getApiDocsOrThrow } from "../catalog/docs";
import { AppError } from "../errors";
import { enforcePortalLimit } from "../limits/portal";
import { getOperation } from "../openapi";
import { callWithKey, type CallResult } from "../try-it/call";
import { pickKey, type KeyHolder } from "../try-it/keys";

/**
 * Calls one catalog API operation on the developer's behalf with one of their own keys (MCP's
 * call_operation): the same key choice, relay, explanations and rules as try-it (lib/try-it/),
 * answered in an agent's terms (its tools, not the dashboard).
 */

export { explain, redactKey } from "../try-it/explain";
export type { CallResult } from "../try-it/call";

export interface CallInput {
  api: string;
  operation: string;
  keyId?: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
}

export async function callOperation(caller: KeyHolder, input: CallInput, ip: string, now = Date.now()): Promise<CallResult> {
  const { api, document } = await getApiDocsOrThrow(input.api, caller);
  const operation = getOperation(document, input.operation);
  if (!operation || operation.kind !== "operation")
    throw new AppError("not_found", `${api.name} has no operation '${input.operation}'. Use the slug from its docs URL (/apis/${api.slug}/operations/<slug>).`);
  if (api.portal) throw new AppError("bad_request", "The Developer API is called with a portal token, not an API key: use its endpoints directly.");
  const { invokeUrl } = api;
  if (!invokeUrl) throw new AppError("unavailable", "This API stage has no invoke URL yet.");

  const choice = await pickKey(caller, api, input.keyId, "agent", now);
  await enforcePortalLimit("tryIt", { ip, userId: caller.person ?? caller.user.id, isAdmin: caller.isAdmin });
  const { pathParams, query, body, contentType } = input;
  const result = await callWithKey(
    caller,
    { api: { ...api, invokeUrl }, operation },
    choice,
    { pathParams, query, ...(body !== undefined ? { body } : {}), ...(contentType !== undefined ? { contentType } : {}) },
    { ip, via: "mcp", now, checkKeys: "Check list_my_keys" },
  );
  return result;
}
