import { JOB_NAMES, jobHandler, JOBS, type JobName } from "../functions/jobs";
import type { Email } from "./email";
import { jobEnvironment, notifierEnvironment } from "./lib/environment";
import { jobStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import { INDEX_NAMES } from "./lib/table";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/** Scheduler fills in the run's scheduled time; the jobs treat `event.time` as "now" (so runs can be replayed). */
const SCHEDULED_EVENT = { time: "<aws.scheduler.scheduled-time>" };

/** The cron's name in the stack, kept as first deployed (KeySweeper, …): a new name would replace the resources. */
const cronName = (setting: string) => `${setting.charAt(0).toUpperCase()}${setting.slice(1)}`;

/**
 * Scheduled work off the request path (EventBridge Scheduler): every job of functions/jobs.ts.
 * The notifier also gets the portal's URL and link secret, and with email on (infra/email.ts) the
 * sender, the configuration set and SendEmail on both; it reads catalog/ for the emails' branding.
 */
export function createJobs(settings: StageSettings, resources: { storage: Storage; scope: AccountScope; siteUrl: $util.Input<string>; email?: Email }) {
  const { storage, scope, siteUrl, email } = resources;
  const environment = storage.table.name.apply((tableName) => jobEnvironment({ tableName, limits: settings.limits }));
  const notifier = {
    environment: $resolve({
      tableName: storage.table.name,
      authSecret: storage.authSecret.value,
      siteUrl,
      configurationSet: email ? email.configurationSetName : "",
    }).apply(({ configurationSet, ...v }) =>
      notifierEnvironment({ ...v, limits: settings.limits, ...(email ? { email: { from: email.from, configurationSet } } : {}) }),
    ),
    permissions: $resolve({
      tableArn: storage.table.arn,
      emailIdentityArn: email ? email.identityArn : "",
      configurationSetArn: email ? email.configurationSetArn : "",
    }).apply(({ tableArn, emailIdentityArn, configurationSetArn }) =>
      jobStatements("notifier", {
        scope,
        tableArn,
        indexNames: INDEX_NAMES,
        ...(email ? { emailIdentityArn, configurationSetArn } : {}),
      }),
    ),
  };

  for (const name of JOB_NAMES) {
    const job = JOBS[name];
    const files: readonly string[] = "files" in job ? job.files : [];
    new sst.aws.CronV2(cronName(job.setting), {
      schedule: settings.jobs[job.setting],
      event: SCHEDULED_EVENT,
      function: {
        runtime: NODE_RUNTIME,
        handler: jobHandler(name),
        description: job.description,
        timeout: `${job.timeoutMinutes} minutes`,
        ...(isNotifier(name)
          ? notifier
          : { environment, permissions: storage.table.arn.apply((tableArn) => jobStatements(name, { scope, indexNames: INDEX_NAMES, tableArn })) }),
        // Lambda runs in the package's root: lib/catalog reads ./catalog there, as the portal does in its own.
        ...(files.length ? { copyFiles: files.map((from) => ({ from })) } : {}),
      },
    });
  }
}

const isNotifier = (name: JobName): name is "notifier" => name === "notifier";
