import type { KeyRow } from "../db/rows";
import { utcDay } from "./days";

/** Idle stretches of keys (unused.ts), kept apart so the profile summary can use them without a cycle. */

/** The first day of a key's current idle stretch. */
export const idleSince = (key: Pick<KeyRow, "lastUsedDay" | "createdAt">): string => {
  const made = utcDay(Date.parse(key.createdAt));
  return key.lastUsedDay && key.lastUsedDay > made ? key.lastUsedDay : made;
};

/** For the profile: the active portal keys not yet told about their current idle stretch → its first day. */
export function idleKeys(keys: KeyRow[]): Record<string, string> {
  const idle: Record<string, string> = {};
  for (const key of keys) {
    if (key.state !== "active" || key.boundPlanId) continue;
    const since = idleSince(key);
    if (key.unusedToldSince !== since) idle[key.keyId] = since;
  }
  return idle;
}
