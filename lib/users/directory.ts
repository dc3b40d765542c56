import { processCache } from "../cache/process";
import { profilesChangedSince, type AccountStatus, type Profile } from "../db/profiles";

/**
 * Every user's profile, in memory, kept current by following the profile change feed (GSI1 by
 * `updatedAt`): the first read loads the directory once, and each later read asks only for rows
 * changed since the newest one seen (usually none). Lists, search and the overview are then
 * in-memory work, fast at 10,000 users, and never call the control plane.
 *
 * Each catch-up starts a few seconds before the previous one did, because a writer's clock and
 * GSI propagation can make a change appear a little after its `updatedAt`; re-reading those few
 * rows is harmless (newest `updatedAt` wins, and an unchanged row changes nothing).
 */

const OVERLAP_MS = 5_000;

interface Directory {
  users: Map<string, Profile>;
  /** What search matches against, lower-cased once per change. */
  haystacks: Map<string, string>;
  /** When the previous catch-up started (this server's clock). */
  readAt?: number;
  /** Bumped on every change: derived views (sorted list, overview) are rebuilt only then. */
  version: number;
  sorted?: Profile[];
  inflight?: Promise<void>;
}

// One copy per process, under one key: pages and route handlers (separate bundles) share it.
const directories = processCache<Directory>("Directory");
const directory = (): Directory => directories.get("current") ?? directories.set("current", { users: new Map(), haystacks: new Map(), version: Date.now() }, 1);

/** Drops the in-memory copy (tests, and after a sandbox reset). */
export function forgetDirectory(): void {
  directories.clear();
}

async function catchUp(dir: Directory): Promise<void> {
  const startedAt = Date.now();
  const since = dir.readAt === undefined ? undefined : new Date(dir.readAt - OVERLAP_MS).toISOString();
  const changed = await profilesChangedSince(since);
  dir.readAt = startedAt;
  for (const profile of changed) {
    const known = dir.users.get(profile.userId);
    if (known && known.updatedAt >= profile.updatedAt) continue;
    if (profile.status === "deleted") {
      dir.users.delete(profile.userId);
      dir.haystacks.delete(profile.userId);
    } else {
      dir.users.set(profile.userId, profile);
      dir.haystacks.set(profile.userId, [profile.email, profile.name].filter(Boolean).join("\n").toLowerCase());
    }
    dir.version += 1;
    dir.sorted = undefined;
  }
}

/** The directory's change counter as of the last catch-up: equal numbers mean nothing changed. */
export function directoryVersion(): number {
  return directory().version;
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
  // People only: teams have profiles in the same directory (lib/teams) and a list of their own.
  let matches = (await allProfiles()).filter((p) => !p.team);
  if (query.status) matches = matches.filter((p) => p.status === query.status);
  if (needle) {
    const haystacks = directory().haystacks;
    matches = matches.filter(
      (p) => haystacks.get(p.userId)?.includes(needle) || p.keyIds?.some((id) => id.toLowerCase().startsWith(needle)) || p.userId === needle,
    );
  }
  const pages = Math.max(1, Math.ceil(matches.length / pageSize));
  const page = Math.min(Math.max(1, query.page ?? 1), pages);
  return { users: matches.slice((page - 1) * pageSize, page * pageSize), total: matches.length, page, pages, pageSize };
}

export interface TeamListQuery {
  /** Matches a team's name or slug (substring, any case) or a key id (prefix). */
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface TeamList {
  teams: Profile[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** Teams (lib/teams), from the same directory as people: newest first, searched and paged in memory. */
export async function listTeams(query: TeamListQuery = {}): Promise<TeamList> {
  const pageSize = query.pageSize ?? 25;
  const needle = query.q?.trim().toLowerCase();
  // Teams an administrator disabled are listed too (and marked); deleted ones leave the directory.
  let matches = (await allProfiles()).filter((p) => p.team && (p.status === "active" || p.status === "disabled"));
  if (needle)
    matches = matches.filter(
      (p) => (p.name ?? "").toLowerCase().includes(needle) || p.team!.slug.includes(needle) || p.keyIds?.some((id) => id.toLowerCase().startsWith(needle)),
    );
  const pages = Math.max(1, Math.ceil(matches.length / pageSize));
  const page = Math.min(Math.max(1, query.page ?? 1), pages);
  return { teams: matches.slice((page - 1) * pageSize, page * pageSize), total: matches.length, page, pages, pageSize };
}

/** The person (not a team) whose account has this email address, from the directory. */
export async function findPersonByEmail(email: string): Promise<Profile | undefined> {
  const wanted = email.trim().toLowerCase();
  return (await allProfiles()).find((p) => !p.team && p.email?.toLowerCase() === wanted);
}
