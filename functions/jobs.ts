/**
 * The scheduled jobs, each described once. Job `<name>` runs `functions/<name>.ts`'s handler:
 *  - infra/jobs.ts deploys it as an EventBridge Scheduler cron on `schedule` (a stage may set its
 *    own under `jobs.<setting>`, infra/lib/settings.ts), with `timeout` and a role granting exactly
 *    `calls` (infra/lib/iam.ts checks them against what the handler's code sends);
 *  - the sandbox's scheduler (local/scheduler) runs it on a timer of its own, and on demand;
 *  - its handler records its changes in the audit log as the system actor `<name>`.
 * Data only: infra and the sandbox import it without any of the portal's server code.
 */
export const JOBS = {
  "key-sweeper": {
    setting: "keySweeper",
    description: "Deletes rotated API keys whose grace period is over",
    // Often enough that a grace period ends on time; DeleteApiKey allows 5/s account-wide.
    schedule: "rate(15 minutes)",
    timeoutMinutes: 5,
    // Disables, then deletes, rotated keys; usage is kept before a key goes.
    calls: ["GetCommand", "PutCommand", "UpdateCommand", "DeleteCommand", "QueryCommand", "UpdateApiKeyCommand", "DeleteApiKeyCommand", "GetUsageCommand"],
  },
  reconciler: {
    setting: "reconciler",
    description: "Repairs drift between API Gateway keys and plans and the portal's rows",
    // Compares all of API Gateway with the rows: it spends control-plane budget, so not too often.
    schedule: "rate(6 hours)",
    timeoutMinutes: 15,
    // Walks every row (Scan is fine off the request path) and repairs plan membership to match.
    calls: [
      "GetCommand",
      "PutCommand",
      "UpdateCommand",
      "DeleteCommand",
      "QueryCommand",
      "ScanCommand",
      "GetApiKeysCommand",
      "DeleteApiKeyCommand",
      "GetUsagePlansCommand",
      "GetUsagePlanKeysCommand",
      "GetUsagePlanKeyCommand",
      "CreateUsagePlanKeyCommand",
      "DeleteUsagePlanKeyCommand",
      "GetUsageCommand",
    ],
  },
  "usage-collector": {
    setting: "usageCollector",
    description: "Stores every subscriber's recent usage for the admin overview",
    // One GetUsage per subscribed plan per run, whatever the number of users.
    schedule: "rate(1 hour)",
    timeoutMinutes: 5,
    // Reads plans and usage (GET only) and stores the figures in users' partitions.
    calls: ["GetCommand", "PutCommand", "UpdateCommand", "DeleteCommand", "QueryCommand", "GetUsagePlansCommand", "GetUsageCommand"],
  },
  notifier: {
    setting: "notifier",
    description: "Sends queued notices by email and signed webhooks, and retries failed webhook deliveries",
    // Often, so a quota alert arrives while it still helps; a run with nothing queued is two Queries.
    schedule: "rate(1 minute)",
    timeoutMinutes: 3,
    // DynamoDB rows only (no control-plane calls), plus SES for email.
    calls: ["GetCommand", "PutCommand", "UpdateCommand", "QueryCommand", "SendEmailCommand"],
    // Its emails carry the portal's name and colours from catalog/portal.yaml (lib/catalog/settings.ts).
    files: ["catalog"],
  },
} as const satisfies Record<string, JobDefinition>;

interface JobDefinition {
  /** The job's key under `jobs` in a stage's deploy settings. */
  setting: string;
  /** The Lambda function's description. */
  description: string;
  /** The default EventBridge Scheduler expression. */
  schedule: `rate(${string})` | `cron(${string})`;
  timeoutMinutes: number;
  /** The AWS SDK commands the handler sends (names from infra/lib/iam.ts's SDK_PERMISSIONS). */
  calls: readonly string[];
  /** Folders the handler reads at run time, copied into its package (SST `copyFiles`) as they are in the repository. */
  files?: readonly string[];
}

export type JobName = keyof typeof JOBS;

export const JOB_NAMES = Object.keys(JOBS) as [JobName, ...JobName[]];

/** The handler Lambda runs for `name`, as SST names it (file without extension, then the export). */
export const jobHandler = (name: JobName) => `functions/${name}.handler` as const;
