import { sweepRetiredKeys } from "../lib/access/sweeper";
import { runAs } from "../lib/audit";

/**
 * EventBridge Scheduler → Lambda (infra/jobs.ts; the sandbox's scheduler locally): retires rotated
 * keys whose grace period is over. `event.time` is "now", so a run can be replayed at any time.
 */
export async function handler(event: { time?: string } = {}) {
  return runAs({ kind: "system", id: "key-sweeper" }, () => run(event));
}

async function run(event: { time?: string }) {
  const now = event.time ? new Date(event.time) : new Date();
  const report = await sweepRetiredKeys(now);
  console.log(JSON.stringify({ job: "key-sweeper", now: now.toISOString(), due: report.due, retired: report.retired.length, skipped: report.skipped.length, failed: report.failed.length }));
  return report;
}
