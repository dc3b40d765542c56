import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "./harness";

// A root of its own: functions/key-sweeper.ts answers with what it was given, functions/reconciler.ts
// is written by the test that needs it (the sandbox imports handlers only when a job runs).
const root = mkdtempSync(path.join(tmpdir(), "portico-scheduler-"));
mkdirSync(path.join(root, "functions"));
// `overlapping` counts the runs inside the handler at once, including this one; `endpoint` is where its SDK clients would go.
writeFileSync(
  path.join(root, "functions", "key-sweeper.ts"),
  `let active = 0;
  export async function handler(event: Record<string, unknown>, context: { functionName: string }) {
    const overlapping = ++active;
    await new Promise((resolve) => setTimeout(resolve, 50));
    active--;
    return { time: event.time, detailType: event["detail-type"], source: event.source, functionName: context.functionName, overlapping, endpoint: process.env.AWS_ENDPOINT_URL };
  }\n`,
);

describe("sandbox scheduler", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ root });
  });
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const runJob = async (body: unknown) => {
    const response = await fetch(`${sandbox.url}/_sandbox/scheduler/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  // `endpoint`: a handler's SDK clients reach the sandbox, never a real account.
  it("runs a job with the given time as the Scheduled Event's time", async () => {
    const { status, body } = await runJob({ job: "key-sweeper", time: "2031-02-03T04:05:06Z" });
    expect(status).toBe(200);
    expect(body).toEqual({
      job: "key-sweeper",
      time: "2031-02-03T04:05:06Z",
      result: {
        time: "2031-02-03T04:05:06Z",
        detailType: "Scheduled Event",
        source: "aws.events",
        functionName: "key-sweeper",
        overlapping: 1,
        endpoint: sandbox.url,
      },
    });
  });

  it("defaults the time to now, in EventBridge's format", async () => {
    const before = Date.now();
    const { status, body } = await runJob({ job: "key-sweeper" });
    expect(status).toBe(200);
    const time = (body.result as { time: string }).time;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.time).toBe(time);
    // Whole seconds: the event time may be up to a second before `before`.
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(time)).toBeLessThanOrEqual(Date.now());
  });

  it("lists the jobs with their intervals and last runs", async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/scheduler`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      timers: false, // test sandboxes run jobs only on demand
      jobs: [
        // The later run of the two above: the one with the default time.
        {
          job: "key-sweeper",
          intervalMs: 60_000,
          running: false,
          lastRun: { time: expect.not.stringMatching(/^2031-/), ok: true, durationMs: expect.any(Number) },
        },
        { job: "reconciler", intervalMs: 600_000, running: false, lastRun: null },
        { job: "usage-collector", intervalMs: 300_000, running: false, lastRun: null },
        { job: "notifier", intervalMs: 15_000, running: false, lastRun: null },
      ],
    });
  });

  it("turns its timers off and on (PUT), still running jobs on demand meanwhile", async () => {
    const put = (body: string) => fetch(`${sandbox.url}/_sandbox/scheduler`, { method: "PUT", body });
    const bad = await put('{"timers":"off"}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'Body must be {"timers": true | false}' });
    const off = await put('{"timers":false}');
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ timers: false });
    expect((await runJob({ job: "key-sweeper" })).status).toBe(200);
    expect((await put('{"timers":true}')).status).toBe(200);
    expect((await fetch(`${sandbox.url}/_sandbox/scheduler`, { method: "DELETE" })).status).toBe(405);
  });

  it("rejects an unknown job, a bad time and a body that is not JSON", async () => {
    const unknownJob = await runJob({ job: "sweeper" });
    expect(unknownJob).toEqual({ status: 400, body: { error: "job must be one of key-sweeper, reconciler, usage-collector, notifier" } });
    const badTime = await runJob({ job: "key-sweeper", time: "tomorrow" });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error).toContain("time must be an ISO 8601 UTC date-time");
    const offsetTime = await runJob({ job: "key-sweeper", time: "2031-02-03T04:05:06+02:00" });
    expect(offsetTime.status).toBe(400);
    const notJson = await runJob("{job:");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/^Body must be JSON/);
    expect((await runJob({})).status).toBe(400);
  });

  it("answers 404 for a job whose function does not exist, then 500 with the message when it throws", async () => {
    expect(await runJob({ job: "reconciler" })).toEqual({ status: 404, body: { error: "functions/reconciler.ts not found" } });

    writeFileSync(path.join(root, "functions", "reconciler.ts"), `export async function handler() { throw new Error("drift beyond repair"); }\n`);
    expect(await runJob({ job: "reconciler", time: "2031-01-01T00:00:00Z" })).toEqual({ status: 500, body: { error: "drift beyond repair" } });

    const health = await fetch(`${sandbox.url}/_sandbox/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { services: string[] }).services).toContain("scheduler");
    const { jobs } = (await (await fetch(`${sandbox.url}/_sandbox/scheduler`)).json()) as { jobs: { job: string; lastRun: unknown }[] };
    expect(jobs.find((j) => j.job === "reconciler")?.lastRun).toMatchObject({ time: "2031-01-01T00:00:00Z", ok: false, error: "drift beyond repair" });
  });

  it("never runs two runs of one job at once", async () => {
    const times = ["2031-01-01T00:00:00Z", "2031-01-02T00:00:00Z", "2031-01-03T00:00:00Z"];
    const runs = await Promise.all(times.map((time) => runJob({ job: "key-sweeper", time })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(runs.map((r) => (r.body.result as { time: string; overlapping: number }).time)).toEqual(times);
    expect(runs.map((r) => (r.body.result as { overlapping: number }).overlapping)).toEqual([1, 1, 1]);
  });
});
