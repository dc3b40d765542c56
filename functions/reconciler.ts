import { reconcile } from "../lib/access/reconciler";
import { scheduledJob } from "./scheduled-job";

/** Repairs drift between API Gateway and the portal's rows. */
export const handler = scheduledJob(
  "reconciler",
  (now) => reconcile({ now }),
  (report) => ({
    users: report.users,
    keys: report.keys,
    plans: report.plans,
    drift: report.drift.length,
    fixed: report.fixed.length,
    failed: report.failed.length,
  }),
);
