import { jobEnvironment } from "./lib/environment";
import { keySweeperStatements, reconcilerStatements, usageCollectorStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import { INDEX_NAMES } from "./lib/table";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/** Scheduler fills in the run's scheduled time; the jobs treat `event.time` as "now" (so runs can be replayed). */
const SCHEDULED_EVENT = { time: "<aws.scheduler.scheduled-time>" };

/** Scheduled work off the request path (EventBridge Scheduler): key-rotation sweeps, drift repair and usage collection. */
export function createJobs(settings: StageSettings, resources: { storage: Storage; scope: AccountScope }) {
  const { storage, scope } = resources;
  const environment = storage.table.name.apply((tableName) => jobEnvironment({ tableName }));
  const job = { scope, indexNames: INDEX_NAMES };

  new sst.aws.CronV2("KeySweeper", {
    schedule: settings.jobs.keySweeper,
    event: SCHEDULED_EVENT,
    function: {
      runtime: NODE_RUNTIME,
      handler: "functions/key-sweeper.handler",
      description: "Deletes rotated API keys whose grace period is over",
      timeout: "5 minutes",
      environment,
      permissions: storage.table.arn.apply((tableArn) => keySweeperStatements({ ...job, tableArn })),
    },
  });

  new sst.aws.CronV2("Reconciler", {
    schedule: settings.jobs.reconciler,
    event: SCHEDULED_EVENT,
    function: {
      runtime: NODE_RUNTIME,
      handler: "functions/reconciler.handler",
      description: "Repairs drift between API Gateway keys and plans and the portal's rows",
      timeout: "15 minutes",
      environment,
      permissions: storage.table.arn.apply((tableArn) => reconcilerStatements({ ...job, tableArn })),
    },
  });

  new sst.aws.CronV2("UsageCollector", {
    schedule: settings.jobs.usageCollector,
    event: SCHEDULED_EVENT,
    function: {
      runtime: NODE_RUNTIME,
      handler: "functions/usage-collector.handler",
      description: "Stores every subscriber's recent usage for the admin overview",
      timeout: "5 minutes",
      environment,
      permissions: storage.table.arn.apply((tableArn) => usageCollectorStatements({ ...job, tableArn })),
    },
  });
}
