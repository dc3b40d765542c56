import {
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  UpdateApiKeyCommand,
} from "@aws-sdk/client-api-gateway";
import { AppError } from "../errors";
import { apigateway } from "./client";
import { isConflict, isNotFound, toAppError } from "./errors";

/**
 * API keys, plan membership and usage: the control-plane calls behind the dashboard.
 * Each function is one call (plus one in rare conflict cases), idempotent where AWS allows it,
 * and throws AppError for failures people should read.
 */

async function send<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error);
  }
}

export interface NewApiKey {
  id: string;
  value: string;
}

/** Creates a key, enabled unless said otherwise. `tags` carry the owner's identity so the console can trace it. */
export async function createApiKey(input: {
  name: string;
  description: string;
  tags: Record<string, string>;
  customerId?: string;
  enabled?: boolean;
}): Promise<NewApiKey> {
  const out = await send(() => apigateway.send(new CreateApiKeyCommand({ ...input, enabled: input.enabled ?? true })));
  return { id: out.id!, value: out.value! };
}

export async function getApiKeyValue(keyId: string): Promise<string | undefined> {
  try {
    const out = await apigateway.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }));
    return out.value;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toAppError(error);
  }
}

/** Deletes a key (and so its plan memberships); a key that is already gone is fine. */
export async function deleteApiKey(keyId: string): Promise<void> {
  try {
    await apigateway.send(new DeleteApiKeyCommand({ apiKey: keyId }));
  } catch (error) {
    if (!isNotFound(error)) throw toAppError(error);
  }
}

/** Renames a key (what the console shows); its tags keep what it was created as. */
export async function renameApiKey(keyId: string, name: string, description: string): Promise<void> {
  const patchOperations = [
    { op: "replace" as const, path: "/name", value: name },
    { op: "replace" as const, path: "/description", value: description },
  ];
  try {
    await apigateway.send(new UpdateApiKeyCommand({ apiKey: keyId, patchOperations }));
  } catch (error) {
    if (isNotFound(error))
      throw new AppError("not_found", "This key no longer exists in API Gateway. It will disappear from your list shortly.", { cause: error });
    throw toAppError(error);
  }
}

export async function setApiKeyEnabled(keyId: string, enabled: boolean): Promise<void> {
  try {
    await apigateway.send(new UpdateApiKeyCommand({ apiKey: keyId, patchOperations: [{ op: "replace", path: "/enabled", value: String(enabled) }] }));
  } catch (error) {
    if (!isNotFound(error)) throw toAppError(error);
  }
}

/**
 * Adds a key to a plan. Already being there is success; a ConflictException for any other reason
 * (the key is in another plan covering the same API stage) is the caller's conflict.
 */
export async function addKeyToPlan(planId: string, keyId: string): Promise<void> {
  try {
    await apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: "API_KEY" }));
  } catch (error) {
    if (isConflict(error) && (await isKeyInPlan(planId, keyId))) return;
    if (isConflict(error)) throw new AppError("conflict", "This key already has another plan for the same API. Switch plans instead.", { cause: error });
    throw toAppError(error);
  }
}

/** Removes a key from a plan; a key that isn't there (or no longer exists) is fine. */
export async function removeKeyFromPlan(planId: string, keyId: string): Promise<void> {
  try {
    await apigateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId }));
  } catch (error) {
    if (!isNotFound(error)) throw toAppError(error);
  }
}

export async function isKeyInPlan(planId: string, keyId: string): Promise<boolean> {
  try {
    await apigateway.send(new GetUsagePlanKeyCommand({ usagePlanId: planId, keyId }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw toAppError(error);
  }
}

/** Key ids in a plan (500 per call). */
export async function listPlanKeyIds(planId: string): Promise<string[]> {
  const ids: string[] = [];
  let position: string | undefined;
  do {
    const page = await send(() => apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: planId, limit: 500, position })));
    ids.push(...(page.items ?? []).map((k) => k.id!));
    position = page.position;
  } while (position);
  return ids;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  enabled: boolean;
  createdDate?: Date;
  tags: Record<string, string>;
}

/** Every key in the account, without values (500 per call; 20 calls at the 10,000-key limit). */
export async function listApiKeys(): Promise<ApiKeySummary[]> {
  const keys: ApiKeySummary[] = [];
  let position: string | undefined;
  do {
    const page = await send(() => apigateway.send(new GetApiKeysCommand({ limit: 500, position, includeValues: false })));
    for (const k of page.items ?? []) keys.push({ id: k.id!, name: k.name ?? "", enabled: k.enabled ?? false, createdDate: k.createdDate, tags: k.tags ?? {} });
    position = page.position;
  } while (position);
  return keys;
}

/**
 * One key's daily requests in a plan, `startDay`..`endDay` inclusive (YYYY-MM-DD, UTC), and what
 * is left of its quota. API Gateway answers `[used, remaining]` per day; days it has no data for are 0,
 * and so are all days of a key or plan that no longer exists.
 */
export async function getKeyUsage(planId: string, keyId: string, startDay: string, endDay: string): Promise<{ used: number[]; remaining?: number }> {
  let out;
  try {
    out = await apigateway.send(new GetUsageCommand({ usagePlanId: planId, keyId, startDate: startDay, endDate: endDay, limit: 500 }));
  } catch (error) {
    // The key or the plan was deleted behind the portal's back (the console): API Gateway has nothing more to say.
    if (isNotFound(error)) return { used: [] };
    throw toAppError(error);
  }
  const series = out.items?.[keyId] ?? [];
  const used = series.map((pair) => Number(pair[0] ?? 0));
  const last = series.at(-1);
  return { used, ...(last && last[1] !== undefined ? { remaining: Number(last[1]) } : {}) };
}

/**
 * Every key's daily usage in a plan at once (GetUsage without keyId, paged: one call per 500 keys),
 * for the scheduled collector: the series are shaped as getKeyUsage returns them.
 */
export async function getPlanKeysUsage(planId: string, startDay: string, endDay: string): Promise<Map<string, { used: number[]; remaining?: number }>> {
  const usage = new Map<string, { used: number[]; remaining?: number }>();
  let position: string | undefined;
  do {
    const out = await send(() => apigateway.send(new GetUsageCommand({ usagePlanId: planId, startDate: startDay, endDate: endDay, limit: 500, position })));
    for (const [keyId, series] of Object.entries(out.items ?? {})) {
      const last = series.at(-1);
      usage.set(keyId, { used: series.map((pair) => Number(pair[0] ?? 0)), ...(last && last[1] !== undefined ? { remaining: Number(last[1]) } : {}) });
    }
    position = out.position;
  } while (position);
  return usage;
}
