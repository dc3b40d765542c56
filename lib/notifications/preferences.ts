import { z } from "zod";
import { recordAudit } from "../audit";
import { conditionally, getItem, putItem, rowAbsent } from "../db/items";
import { AppError } from "../errors";
import { notifyPk, PREFS_SK } from "../db/keys";
import { CATEGORY_NAMES, CHANNELS, type Category, type Channel } from "../outbox/events";

/**
 * What each person wants to hear about, per category and channel. Everything is on until they
 * switch it off: quota and security notices are the point of the feature, and the rest is rare.
 * A webhook category is delivered to every enabled endpoint the person registered.
 */
export type Preferences = Record<Channel, Record<Category, boolean>>;

export const DEFAULT_PREFERENCES: Preferences = {
  email: Object.fromEntries(CATEGORY_NAMES.map((c) => [c, true])) as Record<Category, boolean>,
  webhook: Object.fromEntries(CATEGORY_NAMES.map((c) => [c, true])) as Record<Category, boolean>,
};

/** A change: any subset of channels and categories. */
export const preferencesInput = z.strictObject(
  Object.fromEntries(CHANNELS.map((ch) => [ch, z.strictObject(Object.fromEntries(CATEGORY_NAMES.map((c) => [c, z.boolean().optional()]))).optional()])) as {
    [C in Channel]: z.ZodOptional<z.ZodObject<{ [K in Category]: z.ZodOptional<z.ZodBoolean> }>>;
  },
);
export type PreferencesChange = z.infer<typeof preferencesInput>;
/** What a request may send: at least one switch (an empty change is a mistake, not a no-op). */
export const preferencesRequest = preferencesInput.refine((change) => CHANNELS.some((ch) => Object.values(change[ch] ?? {}).some((v) => v !== undefined)), {
  error: 'Name at least one preference to change, e.g. {"email": {"quota": false}}.',
});

interface PrefsRow {
  pk: string;
  sk: string;
  prefs: Partial<Record<Channel, Partial<Record<Category, boolean>>>>;
  updatedAt: string;
  version: number;
}

const prefsKey = (userId: string) => ({ pk: notifyPk(userId), sk: PREFS_SK });

/** Stored choices over the defaults (a category added later starts at its default). */
export async function readPreferences(userId: string): Promise<Preferences> {
  return (await readRow(userId)).prefs;
}

async function readRow(userId: string): Promise<{ prefs: Preferences; version: number }> {
  const row = await getItem<PrefsRow>(prefsKey(userId), { consistent: true });
  return { prefs: merge(DEFAULT_PREFERENCES, row?.prefs ?? {}), version: row?.version ?? 0 };
}

function merge(base: Preferences, change: PrefsRow["prefs"]): Preferences {
  const out = structuredClone(base);
  for (const channel of CHANNELS)
    for (const category of CATEGORY_NAMES) {
      const value = change[channel]?.[category];
      if (typeof value === "boolean") out[channel][category] = value;
    }
  return out;
}

/**
 * Applies a change and records what changed in the audit log (nothing when nothing did). `via`
 * names a change made without signing in (the one-click unsubscribe link).
 */
export async function updatePreferences(
  userId: string,
  change: PreferencesChange,
  options: { via?: string; email?: string | null } = {},
): Promise<Preferences> {
  // Optimistic: a change made meanwhile (another tab, the unsubscribe link) is read again, never overwritten.
  for (let attempt = 0; ; attempt++) {
    const { prefs: before, version } = await readRow(userId);
    const after = merge(before, change);
    const changed: string[] = [];
    for (const channel of CHANNELS)
      for (const category of CATEGORY_NAMES) if (before[channel][category] !== after[channel][category]) changed.push(`${channel}.${category}`);
    if (!changed.length) return after;
    const row: PrefsRow = { ...prefsKey(userId), prefs: after, updatedAt: new Date().toISOString(), version: version + 1 };
    const stored = await conditionally(putItem(row, version ? { expression: "version = :v", values: { ":v": version } } : rowAbsent));
    if (stored) {
      await auditChange(userId, before, after, changed, options);
      return after;
    }
    if (attempt >= 4) throw new AppError("unavailable", "Your preferences are being changed elsewhere. Try again in a moment.");
  }
}

async function auditChange(userId: string, before: Preferences, after: Preferences, changed: string[], options: { via?: string; email?: string | null }) {
  const pick = (p: Preferences) => Object.fromEntries(changed.map((path) => [path, p[path.split(".")[0] as Channel][path.split(".")[1] as Category]]));
  await recordAudit({
    type: "notifications.preferences-changed",
    subject: { userId, email: options.email ?? null },
    target: "preferences",
    before: pick(before),
    after: pick(after),
    ...(options.via ? { reason: options.via } : {}),
  });
}
