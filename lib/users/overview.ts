import { processCache } from "../cache/process";
import { allProfiles, directoryVersion } from "./directory";
import type { AccountStatus, Profile } from "../db/profiles";

/** The admin overview, computed from stored profiles (no control-plane calls, no per-user reads). */
export interface Overview {
  users: Record<AccountStatus | "total", number>;
  admins: number;
  activeKeys: number;
  pendingSubscriptions: number;
  marketplaceBuyers: number;
  /** Sign-ups per UTC day, oldest first. */
  signUps: { day: string; count: number }[];
  topConsumers: { userId: string; email: string | null; name: string | null; requests7d: number }[];
  nearQuota: { userId: string; email: string | null; planId: string; productName?: string; keyId: string; quotaUsed: number }[];
  /** The oldest usage figure the overview rests on (users' usage is stored when fetched). */
  usageAsOf?: string;
}

export const NEAR_QUOTA = 0.8;
const DAY_MS = 86_400_000;

export function summarize(profiles: Profile[], now = Date.now(), days = 30): Overview {
  // Teams (lib/teams) have profiles too: their keys and usage count, but they aren't people.
  const users: Overview["users"] = { total: profiles.filter((p) => !p.team).length, active: 0, pending: 0, disabled: 0, deleted: 0 };
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  const signUps = Array.from({ length: days }, (_, i) => ({ day: new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10), count: 0 }));
  const dayIndex = new Map(signUps.map((d, i) => [d.day, i]));
  let admins = 0;
  let activeKeys = 0;
  let pendingSubscriptions = 0;
  let marketplaceBuyers = 0;
  let usageAsOf: string | undefined;
  const consumers: Overview["topConsumers"] = [];
  const nearQuota: Overview["nearQuota"] = [];
  for (const p of profiles) {
    if (!p.team) users[p.status] += 1;
    if (p.admin) admins += 1;
    if (p.status === "active") activeKeys += p.keyCount ?? 0;
    pendingSubscriptions += p.pendingPlans?.length ?? 0;
    if (p.marketplace) marketplaceBuyers += 1;
    const index = p.team ? undefined : dayIndex.get(p.joinedAt.slice(0, 10));
    if (index !== undefined) signUps[index]!.count += 1;
    let requests7d = 0;
    for (const u of p.usage ?? []) {
      requests7d += u.requests7d;
      if (u.quotaUsed !== undefined && u.quotaUsed >= NEAR_QUOTA)
        nearQuota.push({
          userId: p.userId,
          email: p.email,
          planId: u.planId,
          ...(u.productName ? { productName: u.productName } : {}),
          keyId: u.keyId,
          quotaUsed: u.quotaUsed,
        });
      // A gone key's figures were final when it went: they don't date the rest.
      if (!u.gone && (!usageAsOf || u.fetchedAt < usageAsOf)) usageAsOf = u.fetchedAt;
    }
    if (requests7d > 0) consumers.push({ userId: p.userId, email: p.email, name: p.name, requests7d });
  }
  return {
    users,
    admins,
    activeKeys,
    pendingSubscriptions,
    marketplaceBuyers,
    signUps,
    topConsumers: consumers.sort((a, b) => b.requests7d - a.requests7d).slice(0, 10),
    nearQuota: nearQuota.sort((a, b) => b.quotaUsed - a.quotaUsed).slice(0, 10),
    ...(usageAsOf ? { usageAsOf } : {}),
  };
}

// The latest overview only, shared by the admin page and the overview route (separate bundles).
const overviews = processCache<Overview>("Overview", 1);

/** Recomputed only when the directory changed or the day turned. */
export async function getOverview(now = Date.now()): Promise<Overview> {
  const profiles = await allProfiles();
  const key = `${directoryVersion()}:${new Date(now).toISOString().slice(0, 10)}`;
  return overviews.get(key) ?? overviews.set(key, summarize(profiles, now), 1);
}
