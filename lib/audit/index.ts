import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { csvLines } from "../csv";
import { decodeCursor, encodeCursor, keyPart } from "../db/cursor";
import { putItem, queryPage, rowAbsent } from "../db/items";
import { AUDIT_PK, auditIndexPk } from "../db/keys";
import { ADMINS, type Notice, type NoticeType } from "../outbox/events";
import { queueNotice } from "../outbox/queue";

/**
 * The audit log: one append-only row per admin action and per key, subscription, account or
 * marketplace change, saying who did it, when, and what it was before and after.
 *
 *   pk = AUDIT, sk = <iso time>#<id>            newest first for the whole portal
 *   GSI1PK = AUDIT#<subject user id>, GSI1SK    newest first for one user (lib/db/keys.ts)
 *
 * The rows live outside user partitions, so deleting an account keeps its history (by id and
 * email as it was). Nothing in the app updates or deletes them, and IAM denies it (infra/).
 */

/** `token`: the portal token (lib/tokens) the person acted through, when not their session. */
export type Actor = { kind: "user" | "admin"; id: string; email: string | null; token?: string } | { kind: "system"; id: string; email?: null };

export interface AuditInput {
  /** What happened, `<area>.<verb>`: key.created, subscription.approved, user.disabled, … */
  type: string;
  /** The user the change is about, when there is one. */
  subject?: { userId: string; email?: string | null; /** A team's slug, when the subject is a team (lib/teams). */ team?: string };
  /** What was changed: a key id, plan id, API id, setting name. */
  target?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /**
   * The notice this change sends its subject (lib/notifications): queued with the entry, under the
   * entry's id, so a change that is in the log is also told — once.
   */
  notice?: NoticeInput;
}

/** `to: "admins"`: told to every administrator rather than to the subject. */
type NoticeInput = { [T in NoticeType]: { type: T; data: Extract<Notice, { type: T }>["data"]; to?: "admins" } }[NoticeType];

export interface AuditEntry extends Omit<AuditInput, "notice"> {
  id: string;
  at: string;
  actor: Actor;
}

const actorContext = new AsyncLocalStorage<Actor>();

/** Runs `work` with `actor` as the one responsible for every change it records. */
export function runAs<T>(actor: Actor, work: () => T): T {
  return actorContext.run(actor, work);
}

/** The actor of the current request or job; changes outside any are the system's. */
export function currentActor(): Actor {
  return actorContext.getStore() ?? { kind: "system", id: "portico" };
}

/** Appends an entry. A failure to write is reported but never undoes the change it describes. */
export async function recordAudit({ notice, ...input }: AuditInput, actor: Actor = currentActor(), now = new Date()): Promise<AuditEntry> {
  const entry: AuditEntry = { id: randomUUID().slice(0, 12), at: now.toISOString(), actor, ...input };
  const sk = `${entry.at}#${entry.id}`;
  try {
    await putItem({ pk: AUDIT_PK, sk, ...(entry.subject ? { GSI1PK: auditIndexPk(entry.subject.userId), GSI1SK: sk } : {}), entry }, rowAbsent);
  } catch (error) {
    console.error(`[audit] could not record ${entry.type}: ${(error as Error).name}`);
  }
  if (notice && (entry.subject || notice.to)) {
    const { to, ...told } = notice;
    const userId = to === "admins" ? ADMINS : entry.subject!.userId;
    await queueNotice({ ...told, id: `audit-${entry.id}`, userId, at: entry.at } as Notice, { now }).catch((error: unknown) => {
      console.error(`[notify] could not queue ${notice.type}: ${(error as Error).name}`);
    });
  }
  return entry;
}

export interface AuditQuery {
  userId?: string;
  /** A type (`user.disabled`) or an area (`user`). */
  type?: string;
  cursor?: string;
  limit?: number;
}

const MAX_READ = 2_000;

/** Newest first, filtered by user (index) and type; `cursor` continues where the last page ended. */
export async function listAudit(query: AuditQuery = {}): Promise<{ entries: AuditEntry[]; cursor?: string }> {
  const limit = Math.min(query.limit ?? 50, 1_000);
  const entries: AuditEntry[] = [];
  let startKey: Record<string, unknown> | undefined = decodeCursor(query.cursor, cursorShape(query.userId));
  let read = 0;
  const base = query.userId
    ? { IndexName: "GSI1", KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeValues: { ":pk": auditIndexPk(query.userId) } }
    : { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": AUDIT_PK } };
  do {
    const page = await queryPage<Record<string, unknown>>({
      ...base,
      ScanIndexForward: false,
      ExclusiveStartKey: startKey,
      Limit: Math.max(limit - entries.length, 25),
    });
    for (const item of page.items) {
      read += 1;
      const entry = item.entry as AuditEntry;
      if (query.type && entry.type !== query.type && !entry.type.startsWith(`${query.type}.`)) continue;
      entries.push(entry);
      if (entries.length === limit) {
        const key = query.userId ? { pk: item.pk, sk: item.sk, GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK } : { pk: item.pk, sk: item.sk };
        return { entries, cursor: encodeCursor(key) };
      }
    }
    startKey = page.next;
  } while (startKey && read < MAX_READ);
  return { entries, cursor: startKey ? encodeCursor(startKey) : undefined };
}

/** The key a page of this query ends on: the log's partition, or the user's index partition too. */
function cursorShape(userId: string | undefined) {
  const table = { pk: z.literal(AUDIT_PK), sk: keyPart };
  return userId ? z.strictObject({ ...table, GSI1PK: z.literal(auditIndexPk(userId)), GSI1SK: keyPart }) : z.strictObject(table);
}

export function auditCsv(entries: AuditEntry[]): string {
  const header = ["at", "type", "actor", "actor_email", "actor_token", "user_id", "user_email", "target", "reason", "before", "after"];
  return csvLines(
    header,
    entries.map((e) => [
      e.at,
      e.type,
      `${e.actor.kind}:${e.actor.id}`,
      e.actor.email,
      e.actor.kind === "system" ? undefined : e.actor.token,
      e.subject?.userId,
      e.subject?.email,
      e.target,
      e.reason,
      e.before,
      e.after,
    ]),
  );
}
