import { reconcile } from "../lib/access/reconciler";
import { runAs } from "../lib/audit";

/** EventBridge Scheduler → Lambda (infra/jobs.ts): repairs drift between API Gateway and the portal's rows. */
export async function handler(event: { time?: string } = {}) {
  return runAs({ kind: "system", id: "reconciler" }, () => run(event));
}

async function run(event: { time?: string }) {
  const now = event.time ? new Date(event.time) : new Date();
  const report = await reconcile({ now });
  console.log(
    JSON.stringify({ job: "reconciler", now: now.toISOString(), users: report.users, keys: report.keys, plans: report.plans, drift: report.drift.length, fixed: report.fixed.length, failed: report.failed.length }),
  );
  return report;
}
