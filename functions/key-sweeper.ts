import { sweepRetiredKeys } from "../lib/access/sweeper";
import { scheduledJob } from "./scheduled-job";

/** Retires rotated keys whose grace period is over. */
export const handler = scheduledJob(
  "key-sweeper",
  (now) => sweepRetiredKeys(now),
  (report) => ({ due: report.due, retired: report.retired.length, skipped: report.skipped.length, failed: report.failed.length }),
);
