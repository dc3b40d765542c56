import { setApiKeyEnabled } from "../apigateway";
import { recordAudit } from "../audit";
import { queryAll } from "../db/items";
import { RETIRING_QUEUE } from "../db/keys";
import type { KeyRow } from "../db/rows";
import { queueNotice } from "../outbox/queue";
import { isExpired, stopsAt } from "./expiry";
import { keyFacts, retireDisabled } from "./keys";
import { pacer } from "./pacer";
import { changeAccessIfFree } from "./profile";
import { expectedPlans, readUserAccess } from "./rows";

export interface SweepReport {
  due: number;
  /** Keys that stop working within a day: their owners were told (once per key). */
  warned: number;
  retired: string[];
  /** Users busy with another change: their keys wait for the next run. */
  skipped: string[];
  failed: { keyId: string; error: string }[];
}

const DAY_MS = 86_400_000;

/**
 * Disables, then deletes, rotated keys whose grace period ended by `now` (the schedule's time,
 * which is how tests advance the clock) and active keys whose expiry passed (expiry.ts), and warns
 * the owners of keys that stop within a day. Reads the retiring queue by index; never scans.
 */
export async function sweepRetiredKeys(now: Date, options: { limit?: number; ratePerSecond?: number } = {}): Promise<SweepReport> {
  const soon = await queryAll<KeyRow>({
    IndexName: "GSI1",
    KeyConditionExpression: "GSI1PK = :queue AND GSI1SK <= :soon",
    ExpressionAttributeValues: { ":queue": RETIRING_QUEUE, ":soon": `${new Date(now.getTime() + DAY_MS).toISOString()}\uffff` },
  });
  const due = soon.filter((key) => key.GSI1SK! <= `${now.toISOString()}\uffff`);
  const wait = pacer(options.ratePerSecond ?? 2);
  const report: SweepReport = { due: due.length, warned: 0, retired: [], skipped: [], failed: [] };
  for (const key of soon) {
    // Worth a warning only when the stop was decided over a day before it (a 1 h grace period or an
    // expiry set for tomorrow was just chosen); once per key and time, whatever the runs.
    const stops = stopsAt(key);
    const decided = key.state === "retiring" ? key.retiringSince : (key.expirySetAt ?? key.createdAt);
    if (due.includes(key) || !stops || !decided || Date.parse(stops) - Date.parse(decided) <= DAY_MS) continue;
    const queued = await queueNotice(
      {
        id: `retiring-soon:${key.keyId}:${stops}`,
        type: "key.retiring-soon",
        userId: key.userId,
        at: now.toISOString(),
        data: { ...keyFacts(key), retiresAt: stops },
      },
      { now },
    ).catch(() => false);
    if (queued) report.warned += 1;
  }
  for (const key of due.slice(0, options.limit ?? 200)) {
    try {
      const outcome = await changeAccessIfFree(key.userId, "sweep-keys", async () => {
        // Re-read under the lease: the key may have been revoked (or the account deleted), or its expiry moved, meanwhile.
        const access = await readUserAccess(key.userId);
        const current = access.keys.find((k) => k.keyId === key.keyId && (k.state === "retiring" || isExpired(k, now.getTime())));
        if (!current) return false;
        // Disabled first, so the usage kept before deleting it is its last word.
        await wait();
        await setApiKeyEnabled(key.keyId, false);
        await retireDisabled(key.userId, current, expectedPlans(access, current), wait);
        await recordAudit({
          type: "key.retired",
          subject: { userId: key.userId },
          target: key.keyId,
          before: { state: current.state, ...(current.state === "active" ? { expiresAt: current.expiresAt } : {}) },
          notice: {
            type: "key.retired",
            data: { ...keyFacts(current), retiredAt: now.toISOString(), reason: current.state === "active" ? "expired" : "rotated" },
          },
        });
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
