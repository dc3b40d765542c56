import { z } from "zod";
import { AUDIT_PK } from "../db/keys";
import { createObject } from "../s3";

/**
 * The audit log's copy that the portal cannot rewrite (infra/audit.ts): every stream record of an
 * AUDIT row becomes one object in a bucket with Object Lock, written only by the archiver.
 *
 *   entries/<sk>/<sequence>-insert.json        a new entry, as it was written
 *   tampering/<sk>/<sequence>-modify.json      an existing row was overwritten (old and new image)
 *   tampering/<sk>/<sequence>-remove.json      a row disappeared (userIdentity says if TTL did it)
 *
 * Rows are only ever inserted, so anything under tampering/ is evidence. The body is the stream
 * record as DynamoDB delivered it. Keys derive from the record itself, so a redelivered batch
 * writes the same keys, and writes are create-only (lib/s3 createObject): an existing object means
 * "already archived", never an overwrite of a locked one.
 */

const attribute = z.record(z.string(), z.unknown());

const streamRecord = z.looseObject({
  eventID: z.string().min(1),
  eventName: z.enum(["INSERT", "MODIFY", "REMOVE"]),
  dynamodb: z.looseObject({
    Keys: z.looseObject({ pk: z.looseObject({ S: z.string() }), sk: z.looseObject({ S: z.string() }) }),
    SequenceNumber: z.string().regex(/^\d{1,40}$/),
    NewImage: attribute.optional(),
    OldImage: attribute.optional(),
  }),
});

const streamEvent = z.object({ Records: z.array(z.unknown()) });

export type StreamRecord = z.infer<typeof streamRecord>;

export interface ArchiveObject {
  key: string;
  body: string;
  tampering: boolean;
}

/** Characters kept from the sort key (ISO time and id); anything else, `/` included, becomes `_`. */
const unsafe = /[^A-Za-z0-9._:-]/g;

/** The object a stream record becomes, or null for rows outside the audit partition. */
export function archiveObject(record: StreamRecord): ArchiveObject | null {
  const { Keys, SequenceNumber } = record.dynamodb;
  if (Keys.pk.S !== AUDIT_PK) return null;
  const tampering = record.eventName !== "INSERT";
  const sk = Keys.sk.S.replace(unsafe, "_").slice(0, 200) || "_";
  const key = `${tampering ? "tampering" : "entries"}/${sk}/${SequenceNumber}-${record.eventName.toLowerCase()}.json`;
  return { key, body: JSON.stringify(record), tampering };
}

/** A Lambda DynamoDB stream event's records; throws on anything else (the batch is retried, then reported). */
export function parseStreamEvent(event: unknown): StreamRecord[] {
  return streamEvent.parse(event).Records.map((record) => streamRecord.parse(record));
}

export interface ArchiveReport {
  archived: number;
  /** Already in the archive: a redelivered record. */
  duplicates: number;
  /** Rows of other partitions (the subscription's filter normally keeps them away). */
  skipped: number;
  /** Keys of MODIFY/REMOVE records: someone changed or removed an audit row. */
  tampering: string[];
}

/** Archives records in order; a failed write throws so that Lambda delivers the batch again. */
export async function archiveRecords(records: StreamRecord[], bucket: string): Promise<ArchiveReport> {
  const report: ArchiveReport = { archived: 0, duplicates: 0, skipped: 0, tampering: [] };
  for (const record of records) {
    const object = archiveObject(record);
    if (!object) {
      report.skipped += 1;
      continue;
    }
    if (object.tampering) report.tampering.push(object.key);
    if (await createObject(bucket, object.key, object.body, "application/json")) report.archived += 1;
    else report.duplicates += 1;
  }
  return report;
}
