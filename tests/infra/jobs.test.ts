import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOB_NAMES, JOBS } from "@/functions/jobs";
import { CALLS, jobStatements } from "@/infra/lib/iam";
import { scheduleExpression, settingsFor } from "@/infra/lib/settings";
import { INDEX_NAMES } from "@/infra/lib/table";
import { root } from "./sdk-calls";

const scope = { partition: "aws", region: "eu-west-1" };
const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/portico-prod-TableTable-abc";

/** What infra/jobs.ts creates for `settings`, with SST's globals and the table's outputs stubbed. */
async function deployedCrons(settings: ReturnType<typeof settingsFor>) {
  const crons: Array<{ name: string; args: Record<string, unknown> }> = [];
  vi.stubGlobal("sst", {
    aws: {
      CronV2: class {
        constructor(name: string, args: Record<string, unknown>) {
          crons.push({ name, args });
        }
      },
    },
  });
  const output = (value: string) => ({ apply: <T>(fn: (v: string) => T) => fn(value) });
  const storage = { table: { name: output("portico-prod-table"), arn: output(tableArn) } };
  // By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
  const { createJobs } = (await import(path.join(root, "infra/jobs.ts"))) as { createJobs: (settings: unknown, resources: unknown) => void };
  createJobs(settings, { storage, scope });
  return crons;
}

describe("the scheduled jobs, described once in functions/jobs.ts", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("each run a handler file of their own name", () => {
    for (const name of JOB_NAMES) expect(existsSync(path.join(root, "functions", `${name}.ts`)), name).toBe(true);
  });

  it("default each stage setting to a valid schedule", () => {
    for (const job of Object.values(JOBS)) expect(scheduleExpression.safeParse(job.schedule).success, job.schedule).toBe(true);
    expect(settingsFor("dev", {}).jobs).toEqual(Object.fromEntries(Object.values(JOBS).map((job) => [job.setting, job.schedule])));
  });

  it("grant each job exactly its calls", () => {
    for (const name of JOB_NAMES) expect(CALLS[name]).toBe(JOBS[name].calls);
  });

  it("are deployed by infra/jobs.ts as one EventBridge Scheduler cron each, on the stage's schedule", async () => {
    const crons = await deployedCrons(settingsFor("prod", { prod: { jobs: { reconciler: "rate(2 hours)" } } }));
    const expected = (name: (typeof JOB_NAMES)[number], cron: string, schedule: string, description: string, timeout: string) => ({
      name: cron,
      args: {
        schedule,
        event: { time: "<aws.scheduler.scheduled-time>" },
        function: {
          runtime: "nodejs24.x",
          handler: `functions/${name}.handler`,
          description,
          timeout,
          environment: { PORTICO_TABLE: "portico-prod-table", PORTICO_LIMITS: JSON.stringify(settingsFor("prod", {}).limits) },
          permissions: jobStatements(name, { scope, tableArn, indexNames: INDEX_NAMES }),
        },
      },
    });
    expect(crons).toEqual([
      expected("key-sweeper", "KeySweeper", "rate(15 minutes)", "Deletes rotated API keys whose grace period is over", "5 minutes"),
      expected("reconciler", "Reconciler", "rate(2 hours)", "Repairs drift between API Gateway keys and plans and the portal's rows", "15 minutes"),
      expected("usage-collector", "UsageCollector", "rate(1 hour)", "Stores every subscriber's recent usage for the admin overview", "5 minutes"),
    ]);
  });
});
