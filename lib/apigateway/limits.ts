import { AppError } from "../errors";
import { getLimits } from "../limits/settings";
import { currentDeadline, currentPriority } from "../limits/priority";
import { reserveShared } from "../limits/shared";
import { Contended, MemoryStore, reserve } from "../limits/buckets";
import { perWindow, type BucketCheck, type Rate } from "../limits/gcra";
import { processSingleton } from "../cache/process";

/**
 * API Gateway's fixed per-operation quotas for the operations Portico calls ("API Gateway quotas
 * for creating, deploying and managing an API"; AWS-FACTS.md). Like the account's 10 requests/s,
 * they count every caller in the account together and cannot be raised.
 */
export const OPERATION_QUOTAS: Readonly<Record<string, Rate>> = {
  CreateApiKey: perWindow(5, 1),
  DeleteApiKey: perWindow(5, 1),
  UpdateUsagePlan: perWindow(1, 20),
};

/** Portico paces each operation a tenth below its quota, so that network jitter never bunches two calls into a 429. */
const MARGIN = 0.9;
/** When the shared table is out of reach, each process assumes it is one of this many doing the same. */
const FALLBACK_FLEET = 5;
/** The one row holding the stage's whole budget: one conditional write takes from the share and the operation's quota at once. */
const BUDGET_ROW = "apigateway";

const slower = (limit: Rate, factor: number): Rate => ({ rate: limit.rate * factor, burst: Math.max(1, Math.floor(limit.burst * factor)) });

/**
 * The buckets one call must pass: the portal's share of the account budget, and the operation's own
 * quota. A background call must leave half of each burst to people, and never books a turn ahead
 * (it waits and asks again), so a person's click goes before any job that is waiting.
 */
function checksFor(operation: string, share: Rate, priority: "interactive" | "background", factor = 1): BucketCheck[] {
  const keepHalf = (limit: Rate) => (priority === "background" ? Math.floor(limit.burst / 2) : 0);
  const account = slower(share, factor);
  const checks: BucketCheck[] = [{ name: "account", limit: account, keep: keepHalf(account) }];
  const quota = OPERATION_QUOTAS[operation];
  if (quota) {
    const own = slower(quota, MARGIN * factor);
    checks.push({ name: operation, limit: own, keep: keepHalf(own) });
  }
  return checks;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function busy(retryAt: number): AppError {
  const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
  return new AppError("unavailable", `API Gateway is busy right now. Nothing was changed — try again in ${seconds} s.`, { retryAfterSeconds: seconds });
}

/** A job call that has waited this long queues like a person's (aging): under a steady crowd, jobs still finish. */
const AGING_MS = 10_000;

/**
 * Waits for this request's turn in the stage's control-plane budget (lib/limits/settings.ts
 * `controlPlane`), shared by every portal instance and job through the table. A person books the
 * earliest turn within `waitSeconds`; a job takes only what leaves people half of each burst, and
 * after 10 s of that it books like a person (never further ahead than `waitSeconds`: one far-off
 * booking would hold everyone behind it). Urgent work (an undo, a job's work inside a user's
 * lease) queues like a person from the start. A person waits at most `waitSeconds`, a job or urgent
 * work `backgroundWaitSeconds`, and nobody past the deadline of the work around them
 * (lib/limits/priority.ts); past that, an AppError "busy, try again in N s" (503 with Retry-After)
 * and nothing is sent.
 */
export async function waitForTurn(operation: string): Promise<void> {
  const limits = getLimits().controlPlane;
  if (limits.pacing === "process") return paceInProcess(operation);
  const priority = currentPriority();
  const share: Rate = { rate: limits.share, burst: limits.burst };
  const started = Date.now();
  // A person gives up after waitSeconds; a job or urgent work keeps asking for backgroundWaitSeconds.
  const patience = started + (priority === "interactive" ? limits.waitSeconds : limits.backgroundWaitSeconds) * 1000;
  // Work holding a user's lease must not outwait it (lib/access/lock.ts sets the deadline).
  const deadline = Math.min(patience, currentDeadline() ?? patience);
  const queuesFrom = priority === "background" ? started + AGING_MS : started;
  for (;;) {
    const asPerson = Date.now() >= queuesFrom;
    const checks = checksFor(operation, share, asPerson ? "interactive" : "background");
    const fallback = checksFor(operation, share, asPerson ? "interactive" : "background", 1 / FALLBACK_FLEET);
    const maxWaitMs = asPerson ? Math.min(deadline - Date.now(), limits.waitSeconds * 1000) : 0;
    const turn = await reserveShared(BUDGET_ROW, checks, { maxWaitMs, fallback, remember: true });
    if (turn.ok) return sleep(turn.startAt - Date.now());
    if (priority === "interactive" || Date.now() >= deadline) throw busy(turn.retryAt);
    // Asks again when its turn would come (or, queueing like a person, when the queue may have shortened), spread a little.
    const again = asPerson ? 500 : Math.min(turn.retryAt - Date.now(), queuesFrom - Date.now());
    await sleep(Math.min(Math.max(again, 0) + Math.random() * 200, deadline - Date.now()));
  }
}

/** Portico before the shared budget: each process paces the per-operation quotas alone and queues without bound. */
const inProcess = processSingleton("ControlPlanePacing", () => new MemoryStore());

async function paceInProcess(operation: string): Promise<void> {
  const quota = OPERATION_QUOTAS[operation];
  if (!quota) return;
  const turn = await reserve(inProcess, operation, [{ name: operation, limit: quota }], { maxWaitMs: Number.POSITIVE_INFINITY }).catch((error: unknown) => {
    if (error instanceof Contended) throw busy(Date.now() + 1_000);
    throw error;
  });
  if (turn.ok) await sleep(turn.startAt - Date.now());
}
