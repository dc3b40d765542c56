import { processSingleton } from "../cache/process";
import { DynamoBucketStore } from "../db/rate-buckets";
import { Contended, MemoryStore, reserve, type BucketState, type Reservation } from "./buckets";
import type { BucketCheck } from "./gcra";

/** A limiter read or write slower than this counts as the table being out of reach. */
const TABLE_TIMEOUT_MS = 1_000;
/** How long a process keeps to its own memory after the table failed it, before trying again. */
const FALLBACK_MS = 10_000;

interface LimiterState {
  shared: DynamoBucketStore;
  local: MemoryStore;
  /** Rows this process reads often (the control-plane budget): the last state it saw, to skip a read. */
  known: Map<string, BucketState>;
  /** Per row, the reservation in flight: one writer per row per process, so only processes contend. */
  inFlight: Map<string, Promise<unknown>>;
  fallbackUntil: number;
}

const state = processSingleton<LimiterState>("RateLimiter", () => ({
  shared: new DynamoBucketStore(TABLE_TIMEOUT_MS),
  local: new MemoryStore(),
  known: new Map(),
  inFlight: new Map(),
  fallbackUntil: 0,
}));

/** Runs `work` after the row's previous reservation in this process has settled. */
async function oneAtATime<T>(row: string, work: () => Promise<T>): Promise<T> {
  const previous = state.inFlight.get(row) ?? Promise.resolve();
  const mine = previous.then(work, work);
  const settled = mine.catch(() => undefined);
  state.inFlight.set(row, settled);
  try {
    return await mine;
  } finally {
    if (state.inFlight.get(row) === settled) state.inFlight.delete(row);
  }
}

/**
 * Takes a token from each of `checks` in the stage's shared table (lib/limits/buckets.ts). When the
 * table fails or takes longer than a second, the process falls back for 10 s to its own memory with
 * `fallback` (tighter checks, since every other process may be doing the same) and says so once in
 * the log: limits keep holding, only less precisely, and nobody waits on a dead table.
 */
export function reserveShared(
  row: string,
  checks: BucketCheck[],
  options: { maxWaitMs: number; fallback: BucketCheck[]; remember?: boolean },
): Promise<Reservation> {
  return oneAtATime(row, () => reserveNow(row, checks, options));
}

async function reserveNow(
  row: string,
  checks: BucketCheck[],
  options: { maxWaitMs: number; fallback: BucketCheck[]; remember?: boolean },
): Promise<Reservation> {
  if (Date.now() >= state.fallbackUntil) {
    try {
      return await reserve(state.shared, row, checks, {
        maxWaitMs: options.maxWaitMs,
        known: options.remember ? state.known.get(row) : undefined,
        onState: options.remember ? (seen) => state.known.set(row, seen) : undefined,
      });
    } catch (error) {
      // Lost the row to other writers again and again: the table works, it is just this busy.
      if (error instanceof Contended) return { ok: false, retryAt: Date.now() + 1_000 };
      state.fallbackUntil = Date.now() + FALLBACK_MS;
      console.warn(`[limits] the rate-limit table failed (${(error as Error)?.name ?? "error"}); pacing in this process alone for ${FALLBACK_MS / 1000} s`);
    }
  }
  return reserve(state.local, row, options.fallback, { maxWaitMs: options.maxWaitMs });
}

/** Whether this process is pacing alone right now (for tests and the bench). */
export const isFallingBack = () => Date.now() < state.fallbackUntil;

/** Forgets the fallback and what this process saw of the table (tests). */
export function resetLimiter(): void {
  state.fallbackUntil = 0;
  state.known.clear();
}
