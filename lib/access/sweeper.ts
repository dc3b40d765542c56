import { setApiKeyEnabled } from "../apigateway";
import { retireNow } from "./keys";
import { ifUserUnlocked } from "./lock";
import { pacer } from "./pacer";
import { queryAll, RETIRING_QUEUE, type KeyRow } from "./rows";

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
      const outcome = await ifUserUnlocked(key.userId, "sweep-keys", async () => {
        await wait();
        await setApiKeyEnabled(key.keyId, false);
        await wait();
        await retireNow(key.userId, key.keyId);
      });
      if (outcome.ran) report.retired.push(key.keyId);
      else report.skipped.push(key.keyId);
    } catch (error) {
      report.failed.push({ keyId: key.keyId, error: (error as Error).message });
    }
  }
  return report;
}
