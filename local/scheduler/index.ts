import type { ServerResponse } from "node:http";
import { z } from "zod";
import { JOB_NAMES, JOBS, type JobName } from "../../functions/jobs";
import type { SandboxContext } from "../context";
import { functionExists, invokeFunction } from "../functions";
import { readBody, sendJson } from "../http";
import type { EdgeRequest, SandboxService } from "../service";

/**
 * The scheduled jobs of functions/jobs.ts (EventBridge Scheduler in AWS), run in-process from
 * `functions/<job>.ts` with their Lambda timeout: on demand (`POST /_sandbox/scheduler/run
 * {"job", "time"?}` runs one now, with `time` as the job's "now"), and on these timers, far more
 * often than in AWS so that their effects show up while you work.
 */
const INTERVAL_MS = {
  "key-sweeper": 60_000,
  reconciler: 10 * 60_000,
  "usage-collector": 5 * 60_000,
  notifier: 15_000,
} as const satisfies Record<JobName, number>;

const timeoutMs = (job: JobName) => JOBS[job].timeoutMinutes * 60_000;

const runRequest = z.strictObject({
  job: z.enum(JOB_NAMES, { error: `job must be one of ${JOB_NAMES.join(", ")}` }),
  // UTC only, as EventBridge sends it: jobs may compare it with stored ISO strings as text.
  time: z.iso.datetime({ error: "time must be an ISO 8601 UTC date-time, e.g. 2030-01-01T00:00:00Z" }).optional(),
});

interface LastRun {
  /** The event's time: the "now" the job ran with. */
  time: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

const ROUTES = new Map([
  ["/_sandbox/scheduler", ["GET", "PUT"]],
  ["/_sandbox/scheduler/run", ["POST"]],
]);

/** PUT /_sandbox/scheduler: turn the timers off and on, as disabling a schedule in EventBridge does (runs on demand still work). */
const timersRequest = z.strictObject({ timers: z.boolean({ error: 'Body must be {"timers": true | false}' }) });

type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

export function createScheduler(ctx: SandboxContext, options: { timers: boolean }): SandboxService {
  const running = new Map<JobName, Promise<Outcome>>();
  const lastRuns = new Map<JobName, LastRun>();
  const timers: NodeJS.Timeout[] = [];
  let paused = false;

  /** Runs `job` once, after any run of it already in flight: runs of one job never overlap. */
  async function run(job: JobName, time: string): Promise<Outcome> {
    for (let current = running.get(job); current; current = running.get(job)) await current;
    const started = Date.now();
    const outcome = invokeFunction(ctx, job, scheduledEvent(ctx, job, time), { timeoutMs: timeoutMs(job) }).then(
      (result): Outcome => ({ ok: true, result }),
      (caught: unknown): Outcome => ({ ok: false, error: caught instanceof Error ? caught.message : String(caught) }),
    );
    // Set synchronously, so a caller resuming after the previous run sees this one and waits.
    running.set(
      job,
      outcome.finally(() => running.delete(job)),
    );
    const settled = await outcome;
    lastRuns.set(job, { time, ok: settled.ok, ...(settled.ok ? {} : { error: settled.error }), durationMs: Date.now() - started });
    if (!settled.ok) ctx.log(`[scheduler] ${job} failed: ${settled.error.split("\n")[0]}`);
    return settled;
  }

  if (options.timers) {
    for (const job of JOB_NAMES) {
      const timer = setInterval(() => {
        // A tick while the job is still running is skipped, not queued; a job not written yet is quietly skipped.
        if (paused || running.has(job) || !functionExists(ctx, job)) return;
        void run(job, eventTime(new Date()));
      }, INTERVAL_MS[job]);
      timer.unref(); // the sandbox's own server keeps the process alive, not its jobs
      timers.push(timer);
    }
  }

  async function handle(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const { pathname } = req.url;
    const method = req.raw.method;
    const route = ROUTES.get(pathname);
    if (route && !route.includes(method ?? "")) {
      req.raw.resume();
      return sendJson(res, 405, { error: `Use ${route.join(" or ")} ${pathname}` });
    }
    if (pathname === "/_sandbox/scheduler" && method === "PUT") {
      const parsed = timersRequest.safeParse(
        await readBody(req.raw)
          .then((b) => JSON.parse(b.toString() || "{}") as unknown)
          .catch(() => undefined),
      );
      if (!parsed.success) return sendJson(res, 400, { error: 'Body must be {"timers": true | false}' });
      paused = !parsed.data.timers;
    }
    if (pathname === "/_sandbox/scheduler") {
      const jobs = JOB_NAMES.map((job) => ({ job, intervalMs: INTERVAL_MS[job], running: running.has(job), lastRun: lastRuns.get(job) ?? null }));
      return sendJson(res, 200, { timers: options.timers && !paused, jobs });
    }
    if (pathname === "/_sandbox/scheduler/run") {
      const body = await readBody(req.raw)
        .then((b) => JSON.parse(b.toString() || "{}") as unknown)
        .catch(() => undefined);
      if (body === undefined)
        return sendJson(res, 400, { error: `Body must be JSON: {"job": ${JOB_NAMES.map((j) => `"${j}"`).join(" | ")}, "time"?: ISO date-time}` });
      const parsed = runRequest.safeParse(body);
      if (!parsed.success) return sendJson(res, 400, { error: parsed.error.issues.map((i) => i.message).join("; ") });
      const { job, time = eventTime(new Date()) } = parsed.data;
      if (!functionExists(ctx, job)) return sendJson(res, 404, { error: `functions/${job}.ts not found` });
      const outcome = await run(job, time);
      return outcome.ok ? sendJson(res, 200, { job, time, result: outcome.result ?? null }) : sendJson(res, 500, { error: outcome.error });
    }
    req.raw.resume();
    sendJson(res, 404, { error: "Unknown sandbox scheduler endpoint: GET /_sandbox/scheduler or POST /_sandbox/scheduler/run" });
  }

  return {
    name: "scheduler",
    claims: (req) => req.url.pathname === "/_sandbox/scheduler" || req.url.pathname.startsWith("/_sandbox/scheduler/"),
    handle,
    writeFault(res, kind) {
      sendJson(res, kind === "throttle" ? 429 : 500, { error: kind === "throttle" ? "Injected throttle" : "Injected error" });
    },
    async close() {
      // Runs in flight are left to finish (or time out) on their own: close() should not wait up to 15 minutes.
      for (const timer of timers) clearInterval(timer);
    },
  };
}

/** EventBridge's time format: UTC to the second, e.g. `2030-01-01T00:00:00Z`. */
function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The event EventBridge sends a Lambda target on a schedule (its `time` is the job's "now"). */
function scheduledEvent(ctx: SandboxContext, job: JobName, time: string) {
  return {
    version: "0",
    id: crypto.randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: ctx.accountId,
    time,
    region: ctx.region,
    resources: [`arn:aws:events:${ctx.region}:${ctx.accountId}:rule/portico-${job}`],
    detail: {},
  };
}
