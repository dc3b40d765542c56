import { recordAudit } from "../audit";
import { putItem } from "../db/items";
import { retiringIndex } from "../db/keys";
import type { KeyRow } from "../db/rows";
import { AppError } from "../errors";
import { DAY_MS } from "./days";
import { MAX_EXPIRY_DAYS } from "./input-rules";
import { changeAccess } from "./profile";
import { assertInGoodStanding, auditSubject, keyView, readUserAccess } from "./rows";
import type { KeyView } from "./types";

/**
 * Keys that expire. An owner may give an active key an expiry when creating it or later (or take
 * it away); the key then waits in the retiring queue (GSI1, by `expiresAt`) while staying active —
 * it counts against the limit, can be renamed and rotated — and the key sweeper retires it then
 * exactly as it retires a rotated key's old one: disabled, its usage kept, deleted, `key.retired`
 * (reason "expired"), with `key.retiring-soon` a day before. Nothing of it reaches API Gateway
 * until then: setting an expiry costs no control-plane call.
 *
 *   - A key bought on AWS Marketplace has none: it lasts as long as the subscription that owns it
 *     (AWS Marketplace ends it), and cutting a paying customer off on a date is not the portal's call.
 *   - Rotating keeps the key's lifetime: the new key expires as long after the rotation as the old
 *     one was set to last (a 90-day key is replaced by a 90-day key; expiry is there to make keys
 *     be rotated), and the old one stops at the end of its grace period or at its expiry, whichever
 *     comes first.
 */

/** What a caller asks for: a date or date-time (null: no expiry), or a number of days from now. */
export interface ExpiryChoice {
  expiresAt?: string | null;
  expiresInDays?: number;
}

const invalid = (message: string) => new AppError("bad_request", message);

/**
 * The expiry a choice means at `now` (ISO), null for none, undefined when it says nothing. A date
 * alone means 00:00 UTC that day. Refused: the past (and now), and more than MAX_EXPIRY_DAYS ahead.
 */
export function resolveExpiry(choice: ExpiryChoice, now = Date.now()): string | null | undefined {
  if (choice.expiresAt !== undefined && choice.expiresInDays !== undefined) throw invalid("Give expiresAt or expiresInDays, not both.");
  let at: number;
  if (choice.expiresInDays !== undefined) {
    const days = choice.expiresInDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS) throw invalid(`expiresInDays must be a whole number from 1 to ${MAX_EXPIRY_DAYS}.`);
    at = now + days * DAY_MS;
  } else if (choice.expiresAt === undefined) {
    return undefined;
  } else if (choice.expiresAt === null) {
    return null;
  } else {
    const text = choice.expiresAt;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
    at = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
    // Date.parse is lenient ("Feb 30" rolls over); the round trip keeps only real dates.
    if (Number.isNaN(at) || (dateOnly && new Date(at).toISOString().slice(0, 10) !== text))
      throw invalid("expiresAt must be a date (YYYY-MM-DD) or a date and time (ISO 8601), or null for no expiry.");
  }
  if (at <= now) throw invalid("An expiry must be in the future.");
  if (at > now + MAX_EXPIRY_DAYS * DAY_MS + 60_000) throw invalid(`An expiry can be at most ${MAX_EXPIRY_DAYS} days (2 years) ahead.`);
  return new Date(at).toISOString();
}

/** The key with this expiry (set at `setAt`), queued for the sweeper by it; or without one, off the queue. */
export function withExpiry(key: KeyRow, expiresAt: string | null, setAt: string): KeyRow {
  const { expiresAt: _at, expirySetAt: _set, GSI1PK: _pk, GSI1SK: _sk, ...rest } = key;
  if (!expiresAt) return rest;
  return { ...rest, expiresAt, expirySetAt: setAt, ...retiringIndex(expiresAt, key.userId, key.keyId) };
}

/** The expiry a key's replacement gets when it is rotated at `now`: the same lifetime from now (none for none). */
export function carriedExpiry(old: KeyRow, now: number): string | null {
  if (!old.expiresAt || old.boundPlanId) return null;
  const lifetime = Date.parse(old.expiresAt) - Date.parse(old.expirySetAt ?? old.createdAt);
  if (!(lifetime > 0)) return null;
  return new Date(now + Math.min(lifetime, MAX_EXPIRY_DAYS * DAY_MS)).toISOString();
}

/** When a key stops working on its own: a rotated key at its grace period's end, an active one at its expiry. */
export const stopsAt = (key: KeyRow): string | undefined => (key.state === "retiring" ? key.retiresAt : key.expiresAt);

/** An active key past its expiry at `now` (the sweeper's to retire). */
export const isExpired = (key: KeyRow, now: number) => key.state === "active" && !!key.expiresAt && Date.parse(key.expiresAt) <= now;

export function refuseExpiry(key: KeyRow): void {
  if (key.boundPlanId)
    throw new AppError("conflict", "This key belongs to your AWS Marketplace subscription: it lasts as long as the subscription, so it can't have an expiry.");
  if (key.state !== "active")
    throw new AppError("conflict", `"${key.name}" has been rotated: it stops at the end of its grace period, so its expiry can't change.`);
}

/** Sets, changes or clears the expiry of one of the user's active keys (audited as `key.expiry-changed`). */
export async function setKeyExpiry(user: { id: string; email: string | null }, keyId: string, choice: ExpiryChoice): Promise<KeyView> {
  const expiresAt = resolveExpiry(choice);
  if (expiresAt === undefined) throw invalid("Give expiresAt (null for none) or expiresInDays.");
  return changeAccess(
    user.id,
    "set-key-expiry",
    async () => {
      const access = await readUserAccess(user.id);
      const key = access.keys.find((k) => k.keyId === keyId);
      if (!key) throw new AppError("not_found", "No such key.");
      assertInGoodStanding(access);
      refuseExpiry(key);
      if ((key.expiresAt ?? null) === expiresAt) return { view: keyView(key), changed: false };
      const next = withExpiry(key, expiresAt, new Date().toISOString());
      // Still active: a rotation that slipped in would have taken the lease first, but the row says last.
      await putItem(next, { expression: "#state = :active", names: { "#state": "state" }, values: { ":active": "active" } });
      await recordAudit({
        type: "key.expiry-changed",
        subject: auditSubject(user.id, access, user.email),
        target: keyId,
        before: { expiresAt: key.expiresAt ?? null },
        after: { expiresAt },
      });
      return { view: keyView(next), changed: true };
    },
    { changed: (result) => result.changed },
  ).then((result) => result.view);
}
