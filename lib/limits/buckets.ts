import { earliestStart, tatAfter, type BucketCheck } from "./gcra";

/**
 * Bucket name → TAT (epoch ms): several buckets share one row so one write can take from all of
 * them. Expected: what a write expects of each bucket it takes from, the TAT it read or any TAT up
 * to `atMost` (same result). lib/db/rate-buckets.ts stores both.
 */
export type { RateBucketState as BucketState, RateBucketExpected as Expected } from "../db/rate-buckets";
import type { RateBucketState as BucketState, RateBucketExpected as Expected } from "../db/rate-buckets";

/** Where a row of buckets lives: a DynamoDB item shared by every process, or this process's memory. */
export interface BucketStore {
  read(row: string): Promise<BucketState>;
  /** Writes `next` into the row if every bucket still matches `expected`; false when one doesn't. */
  write(row: string, next: BucketState, expected: Expected): Promise<boolean>;
}

export type Reservation = { ok: true; startAt: number } | { ok: false; retryAt: number };

/** A conditional write lost to other writers this many times in a row: the row is too hot to wait on. */
export class Contended extends Error {
  constructor(row: string) {
    super(`Rate bucket ${row} stayed contended`);
    this.name = "Contended";
  }
}

const MAX_ATTEMPTS = 16;
/** After a lost write, a pause of up to this long (random) so that the same writers don't collide again. */
const BACKOFF_MS = 15;

/**
 * Takes one token from every bucket in `checks` at one moment: the earliest at which all of them
 * allow it, if that is within `maxWaitMs` of now (then the caller waits until `startAt`), else
 * nothing is taken and `retryAt` says when to try again. One conditional write takes from all the
 * buckets at once; when another process wrote first, the row is read again and the time recomputed.
 * `known` is what the caller last saw of the row (TATs only grow, so an old copy errs on the early
 * side and the write's condition catches it); without it the first write guesses the row is idle.
 */
export async function reserve(
  store: BucketStore,
  row: string,
  checks: BucketCheck[],
  options: { maxWaitMs: number; known?: BucketState; now?: () => number; onState?: (state: BucketState) => void },
): Promise<Reservation> {
  const now = options.now ?? Date.now;
  let state = options.known ?? {};
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const t = now();
    const start = Math.max(...checks.map((check) => earliestStart(state[check.name], check, t)));
    if (start - t > options.maxWaitMs) return { ok: false, retryAt: start };
    const next: BucketState = {};
    const expected: Expected = {};
    for (const { name, limit } of checks) {
      const tat = state[name];
      next[name] = tatAfter(tat, limit, start);
      // Any TAT up to `start` gives the same result, so concurrent writers below it don't conflict.
      expected[name] = tat === undefined || tat <= start ? { atMost: start } : { equals: tat };
    }
    if (await store.write(row, next, expected)) {
      options.onState?.({ ...state, ...next });
      return { ok: true, startAt: start };
    }
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * BACKOFF_MS));
    state = await store.read(row);
    options.onState?.(state);
  }
  throw new Contended(row);
}

/** Buckets in this process's memory: the fallback when the shared table is out of reach, and tests. */
export class MemoryStore implements BucketStore {
  private readonly rows = new Map<string, BucketState>();

  async read(row: string): Promise<BucketState> {
    return { ...this.rows.get(row) };
  }

  async write(row: string, next: BucketState, expected: Expected): Promise<boolean> {
    const current = this.rows.get(row) ?? {};
    for (const [name, want] of Object.entries(expected)) {
      const tat = current[name];
      const holds = "equals" in want ? tat === want.equals : tat === undefined || tat <= want.atMost;
      if (!holds) return false;
    }
    this.rows.set(row, { ...current, ...next });
    return true;
  }
}
