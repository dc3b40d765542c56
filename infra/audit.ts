import { archiveBucketPolicy, AUDIT_STREAM_FILTERS, ENCRYPTION_RULES, objectLockRule, PUBLIC_ACCESS_BLOCK } from "./lib/audit-archive";
import { auditArchiverStatements, type AccountScope } from "./lib/iam";
import type { StageSettings } from "./lib/settings";
import type { Storage } from "./storage";
import { NODE_RUNTIME } from "./lib/versions";

/**
 * The audit log's locked copy: the table's stream → the archiver function → an S3 bucket with
 * Object Lock. Only the archiver's role may write there (and only new keys); no Portico role may
 * delete an object or change its retention. What it guarantees is in the README ("Audit archive").
 */
export function createAuditArchive(settings: StageSettings, resources: { storage: Storage; scope: AccountScope }) {
  const { storage, scope } = resources;
  // Compliance-locked objects can't be deleted by anyone, so such a bucket outlives `sst remove`.
  const keep = settings.retainData || settings.auditArchive.mode === "compliance";

  const bucket = new aws.s3.Bucket(
    "AuditArchive",
    // Object Lock can only be turned on when the bucket is created; force-destroy empties a governance bucket on removal.
    { objectLockEnabled: true, forceDestroy: !keep },
    { retainOnDelete: keep },
  );
  const versioning = new aws.s3.BucketVersioning("AuditArchiveVersioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new aws.s3.BucketObjectLockConfiguration("AuditArchiveLock", { bucket: bucket.id, rule: objectLockRule(settings.auditArchive) }, { dependsOn: [versioning] });
  new aws.s3.BucketPublicAccessBlock("AuditArchivePublicAccess", { bucket: bucket.id, ...PUBLIC_ACCESS_BLOCK });
  new aws.s3.BucketServerSideEncryptionConfiguration("AuditArchiveEncryption", { bucket: bucket.id, rules: ENCRYPTION_RULES });

  const streamArn = storage.table.nodes.table.streamArn;
  const archiver = new sst.aws.Function("AuditArchiver", {
    runtime: NODE_RUNTIME,
    handler: "functions/audit-archiver.handler",
    description: "Copies audit log rows from the table's stream into the Object Lock bucket",
    timeout: "1 minute",
    environment: { AUDIT_ARCHIVE_BUCKET: bucket.bucket },
    permissions: $resolve([streamArn, bucket.arn]).apply(([streamArn, archiveBucketArn]) => auditArchiverStatements({ scope, streamArn, archiveBucketArn })),
  });

  new aws.s3.BucketPolicy("AuditArchivePolicy", {
    bucket: bucket.id,
    policy: $jsonStringify(
      $resolve([bucket.arn, archiver.nodes.role.arn]).apply(([bucketArn, archiverRoleArn]) => archiveBucketPolicy({ bucketArn, archiverRoleArn })),
    ),
  });

  storage.table.subscribe("AuditArchiver", archiver.arn, {
    filters: AUDIT_STREAM_FILTERS,
    transform: {
      eventSourceMapping: {
        // From the oldest record the stream holds, so entries written before the first deploy of
        // the subscription are archived too; failures retry until a record ages out (24 hours).
        startingPosition: "TRIM_HORIZON",
        bisectBatchOnFunctionError: true,
      },
    },
  });

  return { bucket, archiver };
}
