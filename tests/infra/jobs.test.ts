import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOB_NAMES, JOBS } from "@/functions/jobs";
import { CALLS, jobStatements, statementsFor, type Statement } from "@/infra/lib/iam";
import { scheduleExpression, settingsFor } from "@/infra/lib/settings";
import { INDEX_NAMES } from "@/infra/lib/table";
import { root } from "./sdk-calls";

const scope = { partition: "aws", region: "eu-west-1" };
const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/portico-prod-TableTable-abc";

const siteUrl = "https://developer.example.com";
const authSecret = "a-32-character-or-longer-secret-value-0123";
const emailIdentityArn = "arn:aws:ses:eu-west-1:123456789012:identity/example.com";
const configurationSetArn = "arn:aws:ses:eu-west-1:123456789012:configuration-set/portico-prod-notices";

/** A resolved Pulumi output, as far as infra/ uses one. */
const output = <T>(value: T) => ({ value, apply: <R>(fn: (v: T) => R) => fn(value) });
const unwrap = (x: unknown): unknown =>
  x && typeof x === "object" && "apply" in x
    ? (x as ReturnType<typeof output>).value
    : x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unwrap(v)]))
      : x;

/** What infra/email.ts hands the jobs when the stage has `email`. */
const email = {
  from: "notifications@example.com",
  configurationSetName: output("portico-prod-notices"),
  configurationSetArn: output(configurationSetArn),
  identityArn: output(emailIdentityArn),
};

/** What infra/jobs.ts creates for `settings`, with SST's globals and the table's outputs stubbed. */
async function deployedCrons(settings: ReturnType<typeof settingsFor>, withEmail = false) {
  const crons: Array<{ name: string; args: Record<string, unknown> }> = [];
  vi.stubGlobal("$resolve", (x: unknown) => output(unwrap(x)));
  vi.stubGlobal("sst", {
    aws: {
      CronV2: class {
        constructor(name: string, args: Record<string, unknown>) {
          crons.push({ name, args });
        }
      },
    },
  });
  const storage = { table: { name: output("portico-prod-table"), arn: output(tableArn) }, authSecret: { value: output(authSecret) } };
  // By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
  const { createJobs } = (await import(path.join(root, "infra/jobs.ts"))) as { createJobs: (settings: unknown, resources: unknown) => void };
  createJobs(settings, { storage, scope, siteUrl: output(siteUrl), ...(withEmail ? { email } : {}) });
  return crons.map(({ name, args }) => ({ name, args: unwrap(args) as Record<string, unknown> }));
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

  const jobEnv = { PORTICO_TABLE: "portico-prod-table", PORTICO_LIMITS: JSON.stringify(settingsFor("prod", {}).limits) };
  const expected = (
    name: (typeof JOB_NAMES)[number],
    cron: string,
    schedule: string,
    description: string,
    timeout: string,
    more: { environment?: Record<string, string>; permissions?: unknown; copyFiles?: unknown } = {},
  ) => ({
    name: cron,
    args: {
      schedule,
      event: { time: "<aws.scheduler.scheduled-time>" },
      function: {
        runtime: "nodejs24.x",
        handler: `functions/${name}.handler`,
        description,
        timeout,
        environment: jobEnv,
        permissions: jobStatements(name, { scope, tableArn, indexNames: INDEX_NAMES }),
        ...more,
      },
    },
  });
  const NOTIFIER = "Sends queued notices by email and signed webhooks, and retries failed webhook deliveries";

  it("are deployed by infra/jobs.ts as one EventBridge Scheduler cron each, on the stage's schedule", async () => {
    const crons = await deployedCrons(settingsFor("prod", { prod: { jobs: { reconciler: "rate(2 hours)" } } }));
    expect(crons).toEqual([
      expected("key-sweeper", "KeySweeper", "rate(15 minutes)", "Deletes rotated API keys whose grace period is over", "5 minutes"),
      expected("reconciler", "Reconciler", "rate(2 hours)", "Repairs drift between API Gateway keys and plans and the portal's rows", "15 minutes"),
      expected("usage-collector", "UsageCollector", "rate(1 hour)", "Stores every subscriber's recent usage for the admin overview", "5 minutes"),
      // Without `email`: webhooks only, so no sender, no configuration set and no SES grant.
      expected("notifier", "Notifier", "rate(1 minute)", NOTIFIER, "3 minutes", {
        environment: { ...jobEnv, AUTH_URL: siteUrl, AUTH_SECRET: authSecret },
        permissions: statementsFor(["GetCommand", "PutCommand", "UpdateCommand", "QueryCommand"], { scope, tableArn, indexNames: INDEX_NAMES }),
        copyFiles: [{ from: "catalog" }],
      }),
    ]);
    const notifier = crons.at(-1)!.args.function as { permissions: Statement[] };
    expect(notifier.permissions.flatMap((s) => s.actions).filter((a) => a.startsWith("ses:"))).toEqual([]);
  });

  it("give the notifier, with email on, the sender, the configuration set and SendEmail on those two alone", async () => {
    const crons = await deployedCrons(settingsFor("prod", { prod: { email: { from: "notifications@example.com" } } }), true);
    expect(crons.map((c) => c.name)).toEqual(["KeySweeper", "Reconciler", "UsageCollector", "Notifier"]);
    const withEmail = { scope, tableArn, indexNames: INDEX_NAMES, emailIdentityArn, configurationSetArn };
    expect(crons.at(-1)).toEqual(
      expected("notifier", "Notifier", "rate(1 minute)", NOTIFIER, "3 minutes", {
        environment: {
          ...jobEnv,
          AUTH_URL: siteUrl,
          AUTH_SECRET: authSecret,
          PORTICO_EMAIL_FROM: "notifications@example.com",
          PORTICO_SES_CONFIGURATION_SET: "portico-prod-notices",
        },
        permissions: jobStatements("notifier", withEmail),
        copyFiles: [{ from: "catalog" }],
      }),
    );
    const statements = (crons.at(-1)!.args.function as { permissions: Statement[] }).permissions;
    expect(statements.filter((s) => s.actions.some((a) => a.startsWith("ses:")))).toEqual([
      { actions: ["ses:SendEmail"], resources: [emailIdentityArn, configurationSetArn] },
    ]);
    // The other jobs send no email and get none of it.
    for (const cron of crons.slice(0, -1)) expect(JSON.stringify(cron.args), cron.name).not.toMatch(/ses:|PORTICO_EMAIL_FROM|AUTH_SECRET/);
  });

  it("ship the notifier with the catalog it reads its branding from", () => {
    expect(JOBS.notifier.files).toEqual(["catalog"]);
    for (const folder of JOBS.notifier.files) expect(existsSync(path.join(root, folder, "portal.yaml"))).toBe(true);
  });
});
