import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { TokenBucket } from "@/local/apigateway/budget";
import { seed } from "@/local/seed";
import { startTestSandbox } from "../sandbox/harness";

/**
 * The stage's shared control-plane budget (lib/apigateway/limits.ts, lib/limits/shared.ts) against
 * the sandbox's DynamoDB: separate processes racing on one bucket, people before jobs, bounded
 * waits, and what happens when the table is slow.
 */

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let env: Record<string, string>;
let limits: typeof import("@/lib/apigateway/limits");
let shared: typeof import("@/lib/limits/shared");
let priority: typeof import("@/lib/limits/priority");

const setLimits = (controlPlane: Record<string, unknown>) => (process.env.PORTICO_LIMITS = JSON.stringify({ controlPlane }));
const faults = (body: unknown) => fetch(`${sandbox.url}/_sandbox/faults`, { method: body ? "PUT" : "DELETE", body: body ? JSON.stringify(body) : undefined });

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const seeded = await seed(sandbox.context, "http://localhost:3000");
  env = {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: SANDBOX_REGION,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    PORTICO_TABLE: seeded.table,
  };
  Object.assign(process.env, env);
  limits = await import("@/lib/apigateway/limits");
  shared = await import("@/lib/limits/shared");
  priority = await import("@/lib/limits/priority");
}, 60_000);

afterAll(async () => {
  delete process.env.PORTICO_LIMITS;
  await sandbox?.stop();
});

beforeEach(async () => {
  // Each test starts with a full budget: no row (an absent row is a full bucket).
  await faults(undefined);
  const { deleteItem } = await import("@/lib/db/items");
  const { rateBucketKey } = await import("@/lib/db/keys");
  await deleteItem(rateBucketKey("apigateway"));
  shared.resetLimiter();
});

/** Replays go times (any order) into a token bucket; how many it would have refused. */
function refusedBy(rate: number, burst: number, times: number[]): number {
  let clock = 0;
  const bucket = new TokenBucket(rate, burst, () => clock);
  return [...times]
    .sort((a, b) => a - b)
    .filter((t) => {
      clock = t;
      return !bucket.take().ok;
    }).length;
}

describe("the shared control-plane budget", () => {
  it("two processes racing on one bucket never exceed it", async () => {
    const limit = { rate: 20, burst: 5 };
    const worker = () =>
      run(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "tests/limits/race-worker.ts")], {
        cwd: root,
        env: { ...process.env, ...env, RACE_REQUESTS: "30", RACE_LIMIT: JSON.stringify(limit) },
      }).then(({ stdout }) => JSON.parse(stdout) as { starts: (number | null)[]; fellBack: boolean });
    const [a, b] = await Promise.all([worker(), worker()]);
    // Both went through the table (not their own memory), and every request got a turn.
    expect([a.fellBack, b.fellBack]).toEqual([false, false]);
    const starts = [...a.starts, ...b.starts];
    expect(starts.filter((s) => s === null)).toEqual([]);
    expect(starts).toHaveLength(60);
    expect(refusedBy(limit.rate, limit.burst, starts as number[])).toBe(0);
    // And the turns are not needlessly late: 60 at 20/s with a burst of 5 fit in under 3 s.
    const span = Math.max(...(starts as number[])) - Math.min(...(starts as number[]));
    expect(span).toBeLessThan(3_000);
    expect(span).toBeGreaterThanOrEqual(((60 - limit.burst) / limit.rate) * 1000 - 1);
  }, 60_000);

  it("people go before background jobs that were waiting first", async () => {
    setLimits({ share: 5, burst: 4, waitSeconds: 5, backgroundWaitSeconds: 30 });
    const order: string[] = [];
    const job = (i: number) => priority.inBackground(() => limits.waitForTurn("GetRestApis").then(() => order.push(`job${i}`)));
    const person = (i: number) => limits.waitForTurn("GetRestApis").then(() => order.push(`person${i}`));
    const jobs = Array.from({ length: 8 }, (_, i) => job(i));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, (_, i) => person(i)));
    const peopleWaited = Date.now() - started;
    await Promise.all(jobs);
    // The jobs found the bucket full and took only what leaves half of its burst: two went at once.
    // The people who came later all went before any other job.
    expect(order.slice(0, 2).every((o) => o.startsWith("job"))).toBe(true);
    expect(order.slice(2, 6).every((o) => o.startsWith("person"))).toBe(true);
    expect(peopleWaited).toBeLessThan(1_500);
  }, 30_000);

  it("a job waiting behind a steady crowd queues like a person after 10 s, and finishes", async () => {
    setLimits({ share: 5, burst: 2, waitSeconds: 2, backgroundWaitSeconds: 30 });
    let crowding = true;
    let crowdTurns = 0;
    // Eight people clicking as fast as they get turns: the bucket never has a token to spare.
    const crowd = Array.from({ length: 8 }, async () => {
      while (crowding)
        await limits.waitForTurn("GetRestApis").then(
          () => crowdTurns++,
          () => undefined,
        );
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await priority.inBackground(() => limits.waitForTurn("GetRestApis"));
    const waited = Date.now() - started;
    crowding = false;
    await Promise.all(crowd);
    expect(waited).toBeGreaterThanOrEqual(9_500);
    expect(waited).toBeLessThan(13_000);
    // Meanwhile the people had the share: about 5 turns a second.
    expect(crowdTurns).toBeGreaterThan(40);
  }, 30_000);

  it("no wait outlasts the deadline of the work around it (a user's lease), whoever waits", async () => {
    setLimits({ share: 1, burst: 1, waitSeconds: 10, backgroundWaitSeconds: 60 });
    await limits.waitForTurn("GetRestApis"); // the only token for a second
    for (const wait of [
      () => limits.waitForTurn("GetRestApis"),
      () => priority.inBackground(() => limits.waitForTurn("GetRestApis")),
      () => priority.asUndo(() => limits.waitForTurn("GetRestApis")),
    ]) {
      const started = Date.now();
      await expect(priority.withinDeadline(Date.now() + 300, wait)).rejects.toMatchObject({ code: "unavailable" });
      expect(Date.now() - started).toBeLessThan(900);
    }
  }, 20_000);

  it("inside a user's lease, waits end 15 s before the lease does (an undo's 5 s before), and a job's work goes ahead of other jobs", async () => {
    const { withUserLock } = await import("@/lib/access/lock");
    const started = Date.now();
    const seen = await priority.inBackground(() =>
      withUserLock("lease-test-user", "test", async () => ({
        priority: priority.currentPriority(),
        deadline: priority.currentDeadline()!,
        undo: priority.asUndo(() => ({ priority: priority.currentPriority(), deadline: priority.currentDeadline()! })),
      })),
    );
    expect(seen.priority).toBe("urgent");
    expect(seen.deadline - started).toBeGreaterThanOrEqual(45_000 - 50);
    expect(seen.deadline - Date.now()).toBeLessThanOrEqual(45_000);
    expect(seen.undo).toEqual({ priority: "urgent", deadline: seen.deadline + 10_000 });
    // A person's work in their own lease stays a person's, under the same deadline.
    const person = await withUserLock("lease-test-user", "test", async () => priority.currentPriority());
    expect(person).toBe("interactive");
  });

  it("the undoing of a half-done change waits its turn past a person's waitSeconds", async () => {
    setLimits({ share: 1, burst: 1, waitSeconds: 0.5, backgroundWaitSeconds: 10 });
    await limits.waitForTurn("GetRestApis");
    await expect(limits.waitForTurn("GetRestApis")).rejects.toMatchObject({ code: "unavailable" });
    const started = Date.now();
    await priority.asUndo(() => limits.waitForTurn("GetRestApis"));
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 20_000);

  it("a person waits at most waitSeconds, then hears when to try again; nothing hangs", async () => {
    setLimits({ share: 2, burst: 2, waitSeconds: 1 });
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => limits.waitForTurn("GetRestApis")));
    const elapsed = Date.now() - started;
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason);
    // 2 at once, then one every 500 ms for a second: 4 or 5 got a turn, the rest were told to come back.
    expect(outcomes.length - refused.length).toBeGreaterThanOrEqual(4);
    expect(outcomes.length - refused.length).toBeLessThanOrEqual(5);
    for (const error of refused) {
      expect(error).toMatchObject({ code: "unavailable", status: 503 });
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.message).toMatch(/busy right now\. Nothing was changed — try again in \d+ s\./);
    }
    expect(elapsed).toBeLessThan(2_500);
  }, 20_000);

  it("an operation's own quota holds across the share: UpdateUsagePlan is one per 20 s", async () => {
    setLimits({ share: 10, burst: 40, waitSeconds: 2 });
    await limits.waitForTurn("UpdateUsagePlan");
    await expect(limits.waitForTurn("UpdateUsagePlan")).rejects.toMatchObject({ code: "unavailable" });
    const busy = await limits.waitForTurn("UpdateUsagePlan").catch((error: { retryAfterSeconds: number }) => error);
    expect((busy as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(15);
    // Other operations still go.
    await limits.waitForTurn("GetUsagePlans");
  }, 20_000);

  it("when the table is slower than a second, each process paces itself alone and says so once", async () => {
    setLimits({ share: 5, burst: 5, waitSeconds: 5 });
    await faults({ dynamodb: { latencyMs: 1_500 } });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      const started = Date.now();
      await limits.waitForTurn("GetRestApis");
      // One attempt at the table (given up after 1 s), then this process's own buckets at once.
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(shared.isFallingBack()).toBe(true);
      // Later calls don't wait on the table at all; the fallback is a fifth of the share (1/s, burst 1).
      const next = Date.now();
      await limits.waitForTurn("GetRestApis");
      expect(Date.now() - next).toBeGreaterThan(700);
      expect(Date.now() - next).toBeLessThan(1_300);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/pacing in this process alone for 10 s/);
    } finally {
      console.warn = warn;
    }
  }, 20_000);
});
