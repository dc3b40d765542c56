import { createHash } from "node:crypto";
import { conditionally, putItem, queryPage, updateItem } from "../db/items";
import { noticeKey, OUTBOX_SHARDS, outboxIndex } from "../db/keys";
import { NOTICE_TYPES, type Notice } from "./events";

/**
 * The outbox: a notice is queued as a row in its person's notification partition, written by the
 * code that made the change it tells about (recordAudit's `notice`, the usage store's thresholds),
 * and keyed by the notice's id so the same event is only ever queued once — a threshold crossed
 * again in the same period, a collector run repeated, a retried request all land on the same row.
 * Queued rows are also in an outbox index (GSI1) until the notifier has expanded them into
 * deliveries (lib/notifications/notifier.ts); the row itself stays as the event's record until its TTL.
 */

export interface NoticeRow {
  pk: string;
  sk: string;
  notice: Notice;
  queuedAt: string;
  expandedAt?: string;
  /** Recorded as told without telling anyone (superseded by a notice queued with it). */
  silent?: boolean;
  GSI1PK?: string;
  GSI1SK?: string;
  /** TTL (epoch seconds): long enough that the same event can't be queued twice while it could recur. */
  expires: number;
}

const DAY_S = 86_400;
/** How long a notice is kept (and so deduplicated), unless it says otherwise. */
const KEEP_DAYS = 90;

const shardOf = (id: string) => createHash("sha256").update(id).digest()[0]! % OUTBOX_SHARDS;

/**
 * Queues a notice; false when one with the same id was queued before (nothing written). The data
 * is checked against the notice type's schema: a bad notice is a bug, refused before it is stored.
 * `silent`: record it as told without sending anything.
 */
export async function queueNotice(notice: Notice, options: { keepUntil?: Date; now?: Date; silent?: boolean } = {}): Promise<boolean> {
  NOTICE_TYPES[notice.type].data.parse(notice.data);
  const now = options.now ?? new Date();
  const keepUntil = Math.max(options.keepUntil?.getTime() ?? 0, now.getTime() + KEEP_DAYS * DAY_S * 1000);
  const row: NoticeRow = {
    ...noticeKey(notice.userId, notice.id),
    notice,
    queuedAt: now.toISOString(),
    ...(options.silent ? { silent: true, expandedAt: now.toISOString() } : outboxIndex(shardOf(notice.id), notice.at, notice.userId, notice.id)),
    expires: Math.ceil(keepUntil / 1000),
  };
  return conditionally(putItem(row, { expression: "attribute_not_exists(pk)" }));
}

/** Up to `limit` notices still to expand: an equal share from each shard (so none waits behind another), oldest first. */
export async function queuedNotices(limit: number): Promise<NoticeRow[]> {
  const share = Math.ceil(limit / OUTBOX_SHARDS);
  const pages = await Promise.all(
    Array.from({ length: OUTBOX_SHARDS }, (_, shard) =>
      queryPage<NoticeRow>({
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": outboxIndex(shard, "", "", "").GSI1PK },
        Limit: share,
      }),
    ),
  );
  return pages.flatMap((page) => page.items).slice(0, limit);
}

/** Takes an expanded notice out of the outbox index (its deliveries exist by now). */
export async function markExpanded(row: NoticeRow, now: Date): Promise<void> {
  // Conditional: a notice whose account was deleted meanwhile (its partition with it) isn't brought back.
  await conditionally(
    updateItem(
      row,
      { expression: "SET expandedAt = :at REMOVE GSI1PK, GSI1SK", values: { ":at": now.toISOString() } },
      { condition: { expression: "attribute_exists(pk)" } },
    ),
  );
}
