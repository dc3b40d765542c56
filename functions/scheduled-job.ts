import { runAs } from "../lib/audit";
import { inBackgroundUntil, type LambdaTime } from "../lib/limits/priority";
import type { JobName } from "./jobs";

/** What EventBridge Scheduler sends (infra/jobs.ts; the sandbox's scheduler locally): `time` is the run's "now". */
interface ScheduledEvent {
  time?: string;
}

/**
 * The Lambda handler of job `name` (functions/jobs.ts): runs `work` with the event's time as
 * "now" (so a run can be replayed at any time), as the system actor `name`, logs one line with
 * the report's `summary` and returns the whole report. Its control-plane calls wait behind people's.
 */
export function scheduledJob<Report>(
  name: JobName,
  work: (now: Date) => Promise<Report>,
  summary: (report: Report) => Record<string, unknown>,
  /** A run that did nothing logs nothing (a job that runs every minute would fill the log with them). */
  idle?: (report: Report) => boolean,
) {
  return (event: ScheduledEvent = {}, lambda?: LambdaTime): Promise<Report> =>
    inBackgroundUntil(lambda, () =>
      runAs({ kind: "system", id: name }, async () => {
        const now = event.time ? new Date(event.time) : new Date();
        const report = await work(now);
        if (!idle?.(report)) console.log(JSON.stringify({ job: name, now: now.toISOString(), ...summary(report) }));
        return report;
      }),
    );
}
