import { setApiKeyEnabled } from "../apigateway";
import { recordAudit } from "../audit";
import { queryAll } from "../db/items";
import { RETIRING_QUEUE } from "../db/keys";
import type { KeyRow } from "../db/rows";
import { retireDisabled } from "./keys";
import { pacer } from "./pacer";
import { changeAccessIfFree } from "./profile";
import { expectedPlans, readUserAccess } from "./rows";

export interface SweepReport {
  due: number;
  retired: string[];
  /** Users busy with another change: their keys wait for the next run. */
  skipped: string[];
  failed: { keyId: string; error: string }[];
}

/**
 * Disables, then deletes, rotated keys whose grace period ended by `now` (the schedule's time,
 * which is how tests advance the clock). Reads the retiring queue by index; never scans.
 */
export async function sweepRetiredKeys(now: Date, options: { limit?: number; ratePerSecond?: number } = {}): Promise<SweepReport> {
  const due = await queryAll<KeyRow>({
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :queue AND GSI1SK <= :now",
    ExpressionAttributeValues: { ":queue": RETIRING_QUEUE, ":now": `${now.toISOString()}\uffff` },
  });
  const wait = pacer(options.ratePerSecond ?? 2);
  const report: SweepReport = { due: due.length, retired: [], skipped: [], failed: [] };
  for (const key of due.slice(0, options.limit ?? 200)) {
    try {
      const outcome = await changeAccessIfFree(key.userId, "sweep-keys", async () => {
        // Re-read under the lease: the key may have been revoked (or the account deleted) meanwhile.
        const access = await readUserAccess(key.userId);
        const current = access.keys.find((k) => k.keyId === key.keyId && k.state === "retiring");
        if (!current) return false;
        // Disabled first, so the usage kept before deleting it is its last word.
        await wait();
        await setApiKeyEnabled(key.keyId, false);
        await retireDisabled(key.userId, current, expectedPlans(access, current), wait);
        await recordAudit({ type: "key.retired", subject: { userId: key.userId }, target: key.keyId, before: { state: "retiring" } });
        return true;
      });
      if (outcome.ran && outcome.value) report.retired.push(key.keyId);
      else report.skipped.push(key.keyId);
    } catch (error) {
      report.failed.push({ keyId: key.keyId, error: (error as Error).message });
    }
  }
  return report;
}
