import { collectUsage } from "../lib/access/collector";
import { runAs } from "../lib/audit";

/**
 * EventBridge Scheduler → Lambda (infra/jobs.ts): stores every subscriber's recent usage, so the
 * admin overview covers consumers who never open their dashboard. `event.time` is "now".
 */
export async function handler(event: { time?: string } = {}) {
  return runAs({ kind: "system", id: "usage-collector" }, () => run(event));
}

async function run(event: { time?: string }) {
  const now = event.time ? new Date(event.time) : new Date();
  const report = await collectUsage(now.getTime());
  console.log(JSON.stringify({ job: "usage-collector", now: now.toISOString(), plans: report.plans, users: report.users, keys: report.keys, failed: report.failed.length }));
  return report;
}
