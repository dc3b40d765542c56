import { addKeyToPlan, createApiKey, deleteApiKey, getApiKeyValue, renameApiKey, setApiKeyEnabled } from "../apigateway";
import { recordAudit } from "../audit";
import { getPortalSettings } from "../catalog/settings";
import { putItem, rowAbsent, rowExists } from "../db/items";
import { keySk, retiringIndex, userPk } from "../db/keys";
import type { KeyRow } from "../db/rows";
import { AppError } from "../errors";
import { carriedExpiry, type ExpiryChoice, refuseExpiry, resolveExpiry, setKeyExpiry, withExpiry } from "./expiry";
import { keyValueShown } from "./guard";
import { changeAccess } from "./profile";
import {
  assertInGoodStanding,
  auditSubject,
  deleteKeyRow,
  expectedPlans,
  generalKeys,
  isClosedMarketplace,
  keyView,
  portalSubscriptions,
  readUserAccess,
  undo,
  type UserAccess,
} from "./rows";
import { keepUsage } from "./usage";
import { GRACE_PERIODS, type GracePeriod, type KeyAllowance, type KeyView } from "./types";

export interface AccessUser {
  id: string;
  email: string | null;
  /** Set when the owner is a team (lib/teams): its keys are named and tagged after it. */
  team?: { slug: string };
}

/** Tags on the API Gateway key so an owner can trace it to a person in the console. */
export const USER_TAG = "portico:user";
/** And, on a team's key, the team's slug. */
export const TEAM_TAG = "portico:team";

export const maxKeysPerUser = () => getPortalSettings().keys.maxPerUser;

/**
 * The per-user key limit counts active portal keys only: a rotated key in its grace period is on
 * its way out, and a key bought on AWS Marketplace belongs to its subscription.
 */
export function keyAllowance(access: UserAccess): KeyAllowance {
  const general = generalKeys(access);
  return {
    used: general.filter((k) => k.state === "active").length,
    max: maxKeysPerUser(),
    retiring: general.filter((k) => k.state === "retiring").length,
    marketplace: access.keys.length - general.length,
  };
}

/** How a notice names a key: never its value, only its name and last four characters. */
export const keyFacts = (key: Pick<KeyRow, "keyId" | "name" | "hint">) => ({ keyId: key.keyId, keyName: key.name, keyHint: key.hint });

function notFound(): AppError {
  return new AppError("not_found", "No such key.");
}

/**
 * Creates a key in API Gateway, adds it to the user's active plans, then records it.
 * On any failure the new key is deleted again, so nothing is half-applied.
 */
/** How a key is named in API Gateway: after its owner too, so the console tells whose it is. */
const gatewayName = (user: AccessUser, name: string) => {
  const owner = user.team ? `team ${user.team.slug}` : (user.email ?? user.id);
  return { name: `${name} · ${owner}`.slice(0, 1024), description: `Portico key "${name}" of ${owner}` };
};

/** Another active portal key of the user already has this name (names tell keys apart; case doesn't). */
const nameTaken = (access: UserAccess, name: string, except?: string) =>
  generalKeys(access).some((k) => k.keyId !== except && k.state === "active" && k.name.toLowerCase() === name.toLowerCase());

export async function issueKey(
  user: AccessUser,
  name: string,
  planIds: string[],
  options: { tags?: Record<string, string>; bound?: { planId: string; customerId: string }; enabled?: boolean } = {},
): Promise<{ row: KeyRow; value: string }> {
  const created = await createApiKey({
    ...gatewayName(user, name),
    tags: {
      [USER_TAG]: user.id,
      ...(user.email ? { "portico:email": user.email } : {}),
      ...(user.team ? { [TEAM_TAG]: user.team.slug } : {}),
      "portico:key-name": name,
      ...options.tags,
    },
    // API Gateway meters a marketplace plan's calls to the customer id on the key.
    ...(options.bound ? { customerId: options.bound.customerId } : {}),
    ...(options.enabled === false ? { enabled: false } : {}),
  });
  try {
    for (const planId of planIds) await addKeyToPlan(planId, created.id);
    const row: KeyRow = {
      pk: userPk(user.id),
      sk: keySk(created.id),
      userId: user.id,
      keyId: created.id,
      name,
      hint: created.value.slice(-4),
      state: "active",
      createdAt: new Date().toISOString(),
      ...(options.bound ? { boundPlanId: options.bound.planId, customerId: options.bound.customerId } : {}),
    };
    return { row, value: created.value };
  } catch (error) {
    await undo([() => deleteApiKey(created.id)]);
    throw error;
  }
}

export async function listKeys(userId: string): Promise<KeyView[]> {
  return (await readUserAccess(userId)).keys.map(keyView);
}

/**
 * A new named key on every plan the user is subscribed to, expiring when `expiry` says (expiry.ts).
 * The value is returned this once.
 */
export async function createKey(user: AccessUser, name: string, expiry: ExpiryChoice = {}): Promise<{ key: KeyView; value: string }> {
  // Refused before anything is made: a bad date creates no key.
  const expiresAt = resolveExpiry(expiry) ?? null;
  return changeAccess(user.id, "create-key", async () => {
    const access = await readUserAccess(user.id);
    assertInGoodStanding(access);
    const { used, max } = keyAllowance(access);
    if (used >= max) throw new AppError("conflict", `You already have ${max} keys, the most allowed. Revoke one to create another.`);
    if (nameTaken(access, name)) throw new AppError("conflict", `You already have a key named "${name}".`);
    const issued = await issueKey(
      user,
      name,
      portalSubscriptions(access).map((s) => s.planId),
    );
    const { value } = issued;
    const row = withExpiry(issued.row, expiresAt, issued.row.createdAt);
    try {
      await putItem(row, rowAbsent);
    } catch (error) {
      await undo([() => deleteApiKey(row.keyId)]);
      throw error;
    }
    await keyValueShown(user.id, row.keyId);
    await recordAudit({
      type: "key.created",
      subject: auditSubject(user.id, access, user.email),
      target: row.keyId,
      after: { name: row.name, ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}) },
      notice: { type: "key.created", data: keyFacts(row) },
    });
    return { key: keyView(row), value };
  });
}

async function ownKey(userId: string, keyId: string): Promise<KeyRow> {
  const key = (await readUserAccess(userId)).keys.find((k) => k.keyId === keyId);
  if (!key) throw notFound();
  return key;
}

/**
 * Renames one of the user's keys: in the portal and in API Gateway's console (its tags keep the
 * name it was created with). E.g. to tell a rotated key from the one that replaced it.
 */
export async function renameKey(user: AccessUser, keyId: string, name: string): Promise<KeyView> {
  return changeAccess(
    user.id,
    "rename-key",
    async () => {
      const access = await readUserAccess(user.id);
      const key = access.keys.find((k) => k.keyId === keyId);
      if (!key) throw notFound();
      assertInGoodStanding(access);
      if (key.name === name) return { view: keyView(key), changed: false };
      if (nameTaken(access, name, keyId)) throw new AppError("conflict", `You already have a key named "${name}".`);
      const gateway = gatewayName(user, name);
      await renameApiKey(keyId, gateway.name, gateway.description);
      const renamed: KeyRow = { ...key, name };
      await putItem(renamed, rowExists);
      await recordAudit({
        type: "key.renamed",
        subject: auditSubject(user.id, access, user.email),
        target: keyId,
        before: { name: key.name },
        after: { name },
      });
      return { view: keyView(renamed), changed: true };
    },
    { changed: (result) => result.changed },
  ).then((result) => result.view);
}

/**
 * A key's PATCH: a new name, a new expiry (expiry.ts), or both. A bad expiry is refused before
 * anything changes.
 */
export async function updateKey(user: AccessUser, keyId: string, change: { name?: string } & ExpiryChoice): Promise<KeyView> {
  const { name, ...expiry } = change;
  const setsExpiry = expiry.expiresAt !== undefined || expiry.expiresInDays !== undefined;
  if (setsExpiry) {
    resolveExpiry(expiry);
    // Refused before the rename too, so a PATCH refused for its expiry changes nothing.
    const key = (await readUserAccess(user.id)).keys.find((k) => k.keyId === keyId);
    if (key) refuseExpiry(key);
  }
  let view = name !== undefined ? await renameKey(user, keyId, name) : undefined;
  if (setsExpiry) view = await setKeyExpiry(user, keyId, expiry);
  if (!view) throw new AppError("bad_request", "Give a new name, expiresAt (null for none) or expiresInDays.");
  return view;
}

/** The full value of one of the user's own keys (one GetApiKey call). */
export async function revealKey(userId: string, keyId: string): Promise<string> {
  await ownKey(userId, keyId);
  const value = await getApiKeyValue(keyId);
  if (!value) throw new AppError("not_found", "This key no longer exists in API Gateway. It will disappear from your list shortly.");
  return value;
}

/**
 * Replaces a key: the new one has the same plans at once; the old one keeps working for the grace
 * period and is then disabled and deleted by the key sweeper (or right away without grace).
 */
export async function rotateKey(user: AccessUser, keyId: string, grace: GracePeriod): Promise<{ key: KeyView; value: string; retired: KeyView | null }> {
  return changeAccess(user.id, "rotate-key", async () => {
    const access = await readUserAccess(user.id);
    const old = access.keys.find((k) => k.keyId === keyId);
    if (!old) throw notFound();
    if (old.state !== "active") throw new AppError("conflict", `"${old.name}" has already been rotated.`);
    assertInGoodStanding(access);
    // The new key takes the old one's place: the same plans, and the same marketplace binding.
    const bound = old.boundPlanId && old.customerId ? { planId: old.boundPlanId, customerId: old.customerId } : undefined;
    const issued = await issueKey(user, old.name, expectedPlans(access, old), {
      tags: { "portico:rotated-from": old.keyId },
      ...(bound ? { bound } : {}),
    });
    const { value } = issued;
    // The replacement keeps the old key's lifetime (expiry.ts); the old one stops at the end of its
    // grace period, or at its expiry if that comes first.
    const now = Date.now();
    const row = withExpiry(issued.row, carriedExpiry(old, now), issued.row.createdAt);
    const graceEnds = new Date(now + GRACE_PERIODS[grace] * 1000).toISOString();
    const retiresAt = old.expiresAt && old.expiresAt < graceEnds ? new Date(Math.max(now, Date.parse(old.expiresAt))).toISOString() : graceEnds;
    const retiring = retiringRow(old, retiresAt, row.keyId);
    // New row first: if the process dies before the second write, the user has two working keys
    // (and can revoke one), never zero.
    try {
      await putItem(row, rowAbsent);
    } catch (error) {
      await undo([() => deleteApiKey(row.keyId)]);
      throw error;
    }
    await putItem(retiring, { expression: "#state = :active", names: { "#state": "state" }, values: { ":active": "active" } });
    await keyValueShown(user.id, row.keyId);
    await recordAudit({
      type: "key.rotated",
      subject: auditSubject(user.id, access, user.email),
      target: old.keyId,
      before: { keyId: old.keyId },
      after: { keyId: row.keyId, grace },
      notice: { type: "key.rotated", data: { ...keyFacts(old), newKeyId: row.keyId, newKeyName: row.name, retiresAt } },
    });
    if (grace !== "none") return { key: keyView(row), value, retired: keyView(retiring) };
    // Without grace the old key stops now. If API Gateway fails part-way it is queued already, due
    // now, and the sweeper finishes it; the answer then says it is still retiring.
    const retired = await setApiKeyEnabled(old.keyId, false)
      .then(() => retireDisabled(user.id, retiring, expectedPlans(access, old)))
      .then(() =>
        recordAudit({
          type: "key.retired",
          subject: { userId: user.id },
          target: old.keyId,
          before: { state: "retiring" },
          notice: { type: "key.retired", data: { ...keyFacts(old), retiredAt: new Date().toISOString(), reason: "rotated" } },
        }),
      )
      .then(
        () => true,
        () => false,
      );
    return { key: keyView(row), value, retired: retired ? null : keyView(retiring) };
  });
}

/**
 * The last steps of a key that no longer works (disabled, so what is kept now is its last word):
 * its usage of `planIds` (the plans it is in) is kept, then it is deleted from API Gateway, then
 * its row. Run under the user's lease, by rotate, revoke and the sweeper (which paces it).
 */
export async function retireDisabled(userId: string, key: KeyRow, planIds: string[], pace: () => Promise<void> = async () => undefined): Promise<void> {
  await keepUsage(userId, [key], planIds, pace);
  await pace();
  await deleteApiKey(key.keyId);
  await deleteKeyRow(userId, key.keyId);
}

/** A key queued for the sweeper: it stops working at `retiresAt` (at once when that's now); an expiry it had is past concern. */
export const retiringRow = ({ expiresAt: _expiresAt, expirySetAt: _expirySetAt, ...key }: KeyRow, retiresAt: string, replacedBy?: string): KeyRow => ({
  ...key,
  state: "retiring",
  retiresAt,
  retiringSince: new Date().toISOString(),
  ...(replacedBy ? { replacedBy } : {}),
  ...retiringIndex(retiresAt, key.userId, key.keyId),
});

/** Revokes a key at once: disabled, its usage kept, deleted in API Gateway (which takes it out of every plan), then forgotten. */
export async function revokeKey(userId: string, keyId: string): Promise<void> {
  await changeAccess(userId, "revoke-key", async () => {
    const access = await readUserAccess(userId);
    const key = access.keys.find((k) => k.keyId === keyId);
    if (!key) throw notFound();
    // A metered key is the subscription's while it runs; once AWS Marketplace ends it, it can go.
    const bought = key.boundPlanId && access.subscriptions.find((s) => s.planId === key.boundPlanId && s.source === "marketplace");
    if (bought && !isClosedMarketplace(bought) && key.state === "active") {
      throw new AppError(
        "conflict",
        "This key belongs to your AWS Marketplace subscription. Rotate it instead, or cancel the subscription in AWS Marketplace.",
      );
    }
    // It stops working first; then its history is kept and it is deleted. If API Gateway fails after
    // the first step the key is already dead, so it is queued, due now, for the sweeper to finish.
    await setApiKeyEnabled(keyId, false);
    const finished = await retireDisabled(userId, key, expectedPlans(access, key)).then(
      () => true,
      () => false,
    );
    if (!finished) await putItem(retiringRow(key, new Date().toISOString()));
    await recordAudit({
      type: "key.revoked",
      subject: auditSubject(userId, access),
      target: keyId,
      before: { name: key.name, state: key.state },
      ...(finished ? {} : { after: { state: "retiring" } }),
    });
  });
}
