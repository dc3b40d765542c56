import { runNotifier } from "../lib/notifications/notifier";
import { scheduledJob } from "./scheduled-job";

/** Sends queued notices by email and webhook, and retries what is due. */
export const handler = scheduledJob(
  "notifier",
  (now) => runNotifier(now),
  (report) => ({ ...report }),
  (report) => Object.values(report).every((n) => n === 0),
);
