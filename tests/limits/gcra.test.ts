import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryStore, reserve } from "@/lib/limits/buckets";
import { perWindow, type Rate } from "@/lib/limits/gcra";
import { TokenBucket } from "@/local/apigateway/budget";

/**
 * The limiter's promise, checked against the sandbox's token bucket (its model of API Gateway's own
 * limits): every request it lets go at `startAt` would have been admitted by a token bucket of the
 * same rate and burst, and with no waiting allowed it refuses only what that bucket would refuse.
 */

const rate = fc.record({ rate: fc.constantFrom(0.05, 0.5, 1, 4.5, 5, 10), burst: fc.integer({ min: 1, max: 40 }) });
/** Requests: the gap before each (ms) and how long it may wait. */
const requests = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 3_000 }), maxWaitMs: fc.constantFrom(0, 0, 200, 1_000, 30_000) }), {
  minLength: 1,
  maxLength: 60,
});

/** Replays go times (sorted) into a token bucket; the index of the first it refuses, or -1. */
function firstRefused(limit: Rate, times: number[]): number {
  let clock = 0;
  const bucket = new TokenBucket(limit.rate, limit.burst, () => clock);
  return [...times]
    .sort((a, b) => a - b)
    .findIndex((t) => {
      clock = t;
      return !bucket.take().ok;
    });
}

describe("GCRA buckets", () => {
  it("never lets more go than a token bucket of the same rate and burst would admit", async () => {
    await fc.assert(
      fc.asyncProperty(rate, requests, async (limit, script) => {
        const store = new MemoryStore();
        let now = 0;
        const starts: number[] = [];
        for (const { gapMs, maxWaitMs } of script) {
          now += gapMs;
          const turn = await reserve(store, "r", [{ name: "b", limit }], { maxWaitMs, now: () => now });
          if (turn.ok) {
            expect(turn.startAt).toBeGreaterThanOrEqual(now);
            expect(turn.startAt - now).toBeLessThanOrEqual(maxWaitMs);
            starts.push(turn.startAt);
          } else {
            expect(turn.retryAt - now).toBeGreaterThan(maxWaitMs);
          }
        }
        expect(firstRefused(limit, starts)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it("without waiting, admits exactly what the token bucket admits", async () => {
    await fc.assert(
      fc.asyncProperty(rate, fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 80 }), async (limit, gaps) => {
        const store = new MemoryStore();
        let now = 0;
        const bucket = new TokenBucket(limit.rate, limit.burst, () => now);
        for (const gap of gaps) {
          now += gap;
          const turn = await reserve(store, "r", [{ name: "b", limit }], { maxWaitMs: 0, now: () => now });
          expect(turn.ok).toBe(bucket.take().ok);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("takes from several buckets at one moment, each within its own rate", async () => {
    await fc.assert(
      fc.asyncProperty(rate, rate, requests, async (a, b, script) => {
        const store = new MemoryStore();
        let now = 0;
        const starts: number[] = [];
        for (const { gapMs, maxWaitMs } of script) {
          now += gapMs;
          const turn = await reserve(
            store,
            "r",
            [
              { name: "a", limit: a },
              { name: "b", limit: b },
            ],
            { maxWaitMs, now: () => now },
          );
          if (turn.ok) starts.push(turn.startAt);
        }
        expect(firstRefused(a, starts)).toBe(-1);
        expect(firstRefused(b, starts)).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });

  it("a request that must keep tokens for others goes only while that many are left", async () => {
    const limit = perWindow(4, 1); // 4 at once, one every 250 ms
    const store = new MemoryStore();
    const now = 0;
    const background = () => reserve(store, "r", [{ name: "b", limit, keep: 2 }], { maxWaitMs: 0, now: () => now });
    const person = () => reserve(store, "r", [{ name: "b", limit }], { maxWaitMs: 0, now: () => now });
    expect((await background()).ok).toBe(true);
    expect((await background()).ok).toBe(true);
    const third = await background();
    expect(third).toEqual({ ok: false, retryAt: 250 });
    expect((await person()).ok).toBe(true);
    expect((await person()).ok).toBe(true);
    expect((await person()).ok).toBe(false);
  });

  it("a write that loses to another writer reads the row again and books after it", async () => {
    const limit = perWindow(1, 1);
    const store = new MemoryStore();
    // Both saw an idle row; the second's write finds the first's token taken and books the next second.
    const [first, second] = await Promise.all([
      reserve(store, "r", [{ name: "b", limit }], { maxWaitMs: 5_000, now: () => 0 }),
      reserve(store, "r", [{ name: "b", limit }], { maxWaitMs: 5_000, now: () => 0 }),
    ]);
    expect([first, second]).toEqual([
      { ok: true, startAt: 0 },
      { ok: true, startAt: 1_000 },
    ]);
  });
});

describe("GCRA buckets under concurrency and faults", () => {
  /** A store whose reads and writes finish in an order fast-check picks, and whose writes may fail before or after they land. */
  class ScheduledStore extends MemoryStore {
    constructor(
      private readonly s: fc.Scheduler,
      private readonly faults: ("none" | "before" | "after")[],
    ) {
      super();
    }
    private writes = 0;
    override read(row: string) {
      return this.s.schedule(super.read(row), "read");
    }
    override async write(row: string, next: Record<string, number>, expected: Parameters<MemoryStore["write"]>[2]) {
      const fault = this.faults[this.writes++ % this.faults.length] ?? "none";
      if (fault === "before") return this.s.schedule(Promise.reject(new Error("timed out")), "write fails");
      const landed = await this.s.schedule(super.write(row, next, expected), "write");
      // A write that landed but whose answer was lost: the token is spent and nobody uses it.
      if (fault === "after") throw new Error("timed out after writing");
      return landed;
    }
  }

  it("any interleaving of concurrent reservations, with lost and failed writes, stays within the bucket", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        rate,
        fc.array(fc.constantFrom("none", "none", "none", "before", "after"), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 2, max: 12 }),
        async (s, limit, faults, callers) => {
          const store = new ScheduledStore(s, faults);
          const now = 0;
          const starts: number[] = [];
          const calls = Array.from({ length: callers }, () =>
            reserve(store, "r", [{ name: "b", limit }], { maxWaitMs: 60_000, now: () => now }).then(
              (turn) => void (turn.ok && starts.push(turn.startAt)),
              () => undefined, // a failed store call: the caller falls back (lib/limits/shared.ts)
            ),
          );
          await s.waitFor(Promise.all(calls));
          expect(firstRefused(limit, starts)).toBe(-1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
