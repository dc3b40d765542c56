import { profilesChangedSince, type AccountStatus, type Profile } from "./profile";

/**
 * Every user's profile, in memory, kept current by following the profile change feed (GSI1 by
 * `updatedAt`): the first read loads the directory once, and each later read asks only for rows
 * changed since the newest one seen (usually none). Lists, search and the overview are then
 * in-memory work, fast at 10,000 users, and never call the control plane.
 *
 * The feed is read with an overlap, because two writers' clocks and GSI propagation don't order
 * changes perfectly; re-reading a few rows is harmless (newest `updatedAt` wins).
 */

const OVERLAP_MS = 30_000;

interface Directory {
  users: Map<string, Profile>;
  /** Newest `updatedAt` seen. */
  watermark?: string;
  /** Sorted newest-joined first; rebuilt only after a change. */
  sorted?: Profile[];
  inflight?: Promise<void>;
}

const processWide = globalThis as typeof globalThis & { __porticoDirectory?: Directory };
const directory = (): Directory => (processWide.__porticoDirectory ??= { users: new Map() });

/** Drops the in-memory copy (tests, and after a sandbox reset). */
export function forgetDirectory(): void {
  processWide.__porticoDirectory = undefined;
}

async function catchUp(dir: Directory): Promise<void> {
  const since = dir.watermark ? new Date(Date.parse(dir.watermark) - OVERLAP_MS).toISOString() : undefined;
  const changed = await profilesChangedSince(since);
  for (const profile of changed) {
    const known = dir.users.get(profile.userId);
    if (known && known.updatedAt > profile.updatedAt) continue;
    if (profile.status === "deleted") dir.users.delete(profile.userId);
    else dir.users.set(profile.userId, profile);
    if (!dir.watermark || profile.updatedAt > dir.watermark) dir.watermark = profile.updatedAt;
    dir.sorted = undefined;
  }
}

/** The current directory, newest-joined first. Concurrent callers share one catch-up. */
export async function allProfiles(): Promise<Profile[]> {
  const dir = directory();
  dir.inflight ??= catchUp(dir).finally(() => (dir.inflight = undefined));
  await dir.inflight;
  dir.sorted ??= [...dir.users.values()].sort((a, b) => b.joinedAt.localeCompare(a.joinedAt) || a.userId.localeCompare(b.userId));
  return dir.sorted;
}

export interface UserListQuery {
  /** Matches email or name (substring, any case) or a key id (exact or prefix). */
  q?: string;
  status?: AccountStatus;
  page?: number;
  pageSize?: number;
}

export interface UserList {
  users: Profile[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export async function listUsers(query: UserListQuery = {}): Promise<UserList> {
  const pageSize = query.pageSize ?? 25;
  const needle = query.q?.trim().toLowerCase();
  let matches = await allProfiles();
  if (query.status) matches = matches.filter((p) => p.status === query.status);
  if (needle) {
    matches = matches.filter(
      (p) => p.email?.toLowerCase().includes(needle) || p.name?.toLowerCase().includes(needle) || p.keyIds?.some((id) => id.toLowerCase().startsWith(needle)) || p.userId === needle,
    );
  }
  const pages = Math.max(1, Math.ceil(matches.length / pageSize));
  const page = Math.min(Math.max(1, query.page ?? 1), pages);
  return { users: matches.slice((page - 1) * pageSize, page * pageSize), total: matches.length, page, pages, pageSize };
}
