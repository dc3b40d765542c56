import { archiveRecords, parseStreamEvent } from "../lib/audit/archive";

/**
 * DynamoDB stream → Lambda (infra/audit.ts): copies every audit row as it is written into the
 * Object Lock bucket, and any later change or removal of one as evidence. Failures throw, so
 * Lambda retries the batch (keys are stable, so retries are safe) until the record leaves the
 * stream after 24 hours.
 */
export async function handler(event: unknown) {
  const bucket = process.env.AUDIT_ARCHIVE_BUCKET;
  if (!bucket) throw new Error("AUDIT_ARCHIVE_BUCKET is not set");
  const report = await archiveRecords(parseStreamEvent(event), bucket);
  // Keys only (time and id): entries carry emails, which stay out of logs.
  if (report.tampering.length > 0) console.error(`[audit-archiver] TAMPERING: audit rows changed or removed: ${report.tampering.join(", ")}`);
  console.log(
    JSON.stringify({
      job: "audit-archiver",
      archived: report.archived,
      duplicates: report.duplicates,
      skipped: report.skipped,
      tampering: report.tampering.length,
    }),
  );
  return report;
}
