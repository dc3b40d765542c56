import { JOB_NAMES, jobHandler, JOBS } from "../functions/jobs";
import { jobEnvironment } from "./lib/environment";
import { jobStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import { INDEX_NAMES } from "./lib/table";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/** Scheduler fills in the run's scheduled time; the jobs treat `event.time` as "now" (so runs can be replayed). */
const SCHEDULED_EVENT = { time: "<aws.scheduler.scheduled-time>" };

/** The cron's name in the stack, kept as first deployed (KeySweeper, …): a new name would replace the resources. */
const cronName = (setting: string) => `${setting.charAt(0).toUpperCase()}${setting.slice(1)}`;

/** Scheduled work off the request path (EventBridge Scheduler): every job of functions/jobs.ts. */
export function createJobs(settings: StageSettings, resources: { storage: Storage; scope: AccountScope }) {
  const { storage, scope } = resources;
  const environment = storage.table.name.apply((tableName) => jobEnvironment({ tableName, limits: settings.limits }));

  for (const name of JOB_NAMES) {
    const job = JOBS[name];
    new sst.aws.CronV2(cronName(job.setting), {
      schedule: settings.jobs[job.setting],
      event: SCHEDULED_EVENT,
      function: {
        runtime: NODE_RUNTIME,
        handler: jobHandler(name),
        description: job.description,
        timeout: `${job.timeoutMinutes} minutes`,
        environment,
        permissions: storage.table.arn.apply((tableArn) => jobStatements(name, { scope, indexNames: INDEX_NAMES, tableArn })),
      },
    });
  }
}
