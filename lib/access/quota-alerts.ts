import { quotaPeriod } from "./days";
import type { PlanTerms } from "../apigateway";
import type { UsageRow } from "../db/rows";
import { queueNotice } from "../outbox/queue";

/** The shares of a quota period that are worth a warning, in percent. */
export const QUOTA_THRESHOLDS = [80, 100] as const;

/**
 * Queues quota alerts from a usage row just stored (by the dashboard or the usage collector): API
 * Gateway applies a plan's quota to each key, so each key's `remaining` in its period is checked.
 * Each threshold is told once per key, plan and period — the notice id names all four. When a key
 * jumps past both at once, only the 100 % notice is sent (the 80 % one is recorded as told).
 * No control-plane call: the figures are the ones just stored.
 */
export async function queueQuotaAlerts(
  userId: string,
  row: Pick<UsageRow, "planId" | "keyId" | "keyName" | "keyHint" | "remaining" | "fetchedAt">,
  quota: NonNullable<PlanTerms["quota"]> | undefined,
  productName: string,
): Promise<number> {
  if (!quota || quota.limit <= 0 || row.remaining === undefined) return 0;
  const used = Math.max(0, quota.limit - row.remaining);
  const crossed = QUOTA_THRESHOLDS.filter((t) => used * 100 >= t * quota.limit);
  if (!crossed.length) return 0;
  const period = quotaPeriod(quota, row.fetchedAt);
  const at = new Date(row.fetchedAt).toISOString();
  const resetsAt = new Date(period.resetsAt);
  let queued = 0;
  for (const threshold of crossed) {
    const silent = threshold !== crossed.at(-1);
    const told = await queueNotice(
      {
        id: `quota:${row.keyId}:${row.planId}:${period.start}:${threshold}`,
        type: "quota.threshold",
        userId,
        at,
        data: {
          keyId: row.keyId,
          keyName: row.keyName ?? "Key",
          keyHint: row.keyHint ?? "",
          planId: row.planId,
          productName,
          threshold,
          used,
          limit: quota.limit,
          period: quota.period,
          resetsAt: resetsAt.toISOString(),
        },
      },
      // Kept past the period's end, so a late store of the same period can't tell it again.
      { keepUntil: new Date(period.resetsAt + 7 * 86_400_000), silent },
    );
    if (told && !silent) queued += 1;
  }
  return queued;
}
