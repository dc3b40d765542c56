import { revealKey } from "../access/keys";
import { expectedPlans, readUserAccess } from "../access/rows";
import { processCache } from "../cache/process";
import { getCatalogFor } from "../catalog/read";
import type { CatalogApi, CatalogProduct, Viewer } from "../catalog/types";
import type { KeyRow } from "../db/rows";
import { AppError, type ErrorCode } from "../errors";
import { enforcePortalLimit } from "../limits/portal";

/**
 * Which of a developer's own keys calls an API stage, and its value read on the server: shared by
 * try-it (/api/try, the docs' console) and the MCP server's call_operation. The browser and the
 * agent only ever name a key by id; the value never leaves the server.
 */

/** Who calls: a signed-in reader or a token's owner, or a team (then `user` is the team and `team` its slug). */
export interface KeyHolder extends Viewer {
  user: { id: string; email: string | null; groups: string[] };
  team?: string;
  /** With a team's keys: the person calling, whose own limits the calls count against. */
  person?: string;
}

export interface KeyChoice {
  key: KeyRow;
  /** The product (plan) through which this key reaches the API stage. */
  product: CatalogProduct;
}

export type KeyRefusalReason = "unknown_key" | "no_key" | "not_subscribed" | "not_offered";

const REFUSAL_CODES: Record<KeyRefusalReason, ErrorCode> = {
  unknown_key: "not_found",
  no_key: "conflict",
  not_subscribed: "forbidden",
  not_offered: "forbidden",
};

/** No key of theirs can make this call: why, and the products that would let one (for links). */
export class KeyRefusal extends AppError {
  constructor(
    readonly reason: KeyRefusalReason,
    message: string,
    readonly products: { name: string; slug: string }[],
  ) {
    super(REFUSAL_CODES[reason], message);
  }
}

/** An agent is told about its tools; a reader about the dashboard. */
export type Audience = "agent" | "reader";

/**
 * The key to call `api` with: `keyId` if given (it must be the caller's own working key, else a
 * 404 that says nothing of whose it is), else the caller's first active key (a portal key before a
 * Marketplace-bound one) in a plan that covers the stage. Refuses with the products to subscribe
 * to when none does. Reads only the portal's rows and the cached catalog (no control-plane call).
 */
export async function pickKey(caller: KeyHolder, api: CatalogApi, keyId: string | undefined, audience: Audience, now = Date.now()): Promise<KeyChoice> {
  const access = await readUserAccess(caller.user.id);
  const products = (await getCatalogFor(caller)).products.filter((p) => p.plan.apiStages.some((s) => s.apiId === api.apiId && s.stage === api.stage));
  const offered = products.map((p) => ({ name: p.name, slug: p.slug }));
  const nowIso = new Date(now).toISOString();
  const usable = access.keys.filter((k) => k.state === "active" || (k.retiresAt ?? "") > nowIso);
  if (keyId !== undefined && !usable.some((k) => k.keyId === keyId))
    throw new KeyRefusal(
      "unknown_key",
      audience === "agent"
        ? "You have no working key with that id. List your keys with list_my_keys."
        : "You have no working key with that id: choose one of your keys, or create one on your dashboard.",
      offered,
    );
  const candidates = usable
    .filter((k) => keyId === undefined || k.keyId === keyId)
    .map((key) => ({ key, product: products.find((p) => expectedPlans(access, key).includes(p.plan.id)) }))
    .filter((c): c is KeyChoice => c.product !== undefined);
  const chosen = candidates.find((c) => !c.key.boundPlanId && c.key.state === "active") ?? candidates[0];
  if (chosen) return chosen;
  if (!usable.length)
    throw new KeyRefusal(
      "no_key",
      audience === "agent"
        ? "You have no API key yet. Create one on your dashboard (or with a token that can manage keys)."
        : `You have no API key yet. Create one on your dashboard${offered.length ? `, and subscribe to a plan that includes ${api.name}` : ""}.`,
      offered,
    );
  if (!offered.length) throw new KeyRefusal("not_offered", `${api.name} isn't in any plan you can subscribe to.`, offered);
  const names = offered.map((p) => `${p.name} (${p.slug})`).join(", ");
  throw new KeyRefusal(
    "not_subscribed",
    `None of your active plans includes ${api.name}${keyId ? " for that key" : ""}. Subscribe to one of: ${names}.`,
    offered,
  );
}

/**
 * Key values, once read from API Gateway (a control-plane call each), are kept here for a few
 * minutes so repeated calls don't spend the budget: a revoked or rotated key's stale value only
 * makes the gateway answer 403 (and forgetKeyValue drops it then).
 */
const keyValues = processCache<{ value: string; until: number }>("CallKeyValues", 2_000);
const KEEP_VALUE_MS = 5 * 60_000;

/** The key's value, from this process's memory or read once (counted against `liveReads`). */
export async function keyValue(caller: KeyHolder & { isAdmin: boolean }, keyId: string, ip: string, now = Date.now()): Promise<string> {
  const cacheKey = `${caller.user.id}/${keyId}`;
  const kept = keyValues.get(cacheKey);
  if (kept && kept.until >= now) return kept.value;
  await enforcePortalLimit("liveReads", { ip, userId: caller.person ?? caller.user.id, isAdmin: caller.isAdmin });
  return keyValues.set(cacheKey, { value: await revealKey(caller.user.id, keyId), until: now + KEEP_VALUE_MS }, 1).value;
}

/** After a 403 the kept value may be stale (rotated, revoked): read it again next time. */
export function forgetKeyValue(userId: string, keyId: string): void {
  keyValues.delete(`${userId}/${keyId}`);
}
