import { collectUsage } from "../lib/users/collector";
import { scheduledJob } from "./scheduled-job";

/** Stores every subscriber's recent usage, so the admin overview covers consumers who never open their dashboard. */
export const handler = scheduledJob(
  "usage-collector",
  (now) => collectUsage(now.getTime()),
  (report) => ({ plans: report.plans, users: report.users, keys: report.keys, failed: report.failed.length }),
);
