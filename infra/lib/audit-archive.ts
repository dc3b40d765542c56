import { AUDIT_PARTITION } from "./iam";
import type { StageSettings } from "./settings";

/**
 * The audit archive as plain values (infra/audit.ts builds the resources from them): a bucket
 * with Object Lock that only the archiver function writes to, fed by the table's stream.
 *
 * Why a copy at all: IAM denies updating and deleting AUDIT rows, but it cannot deny a PutItem
 * that overwrites one (DynamoDB has no condition key for "the item does not exist yet"), and the
 * web function needs PutItem to append. So a compromised function could rewrite a row, or give it
 * a TTL. The stream sees every such change, and the archive keeps what was there first.
 */

/** Only AUDIT rows reach the archiver (Lambda event filtering on the stream record's key). */
export const AUDIT_STREAM_FILTERS = [{ dynamodb: { Keys: { pk: { S: [AUDIT_PARTITION] } } } }];

/** `aws.s3.BucketObjectLockConfiguration` rule: every new object locked for the stage's retention. */
export function objectLockRule(archive: StageSettings["auditArchive"]) {
  return { defaultRetention: { mode: archive.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE", days: archive.retentionDays } };
}

/** Every public-access switch on: the archive is never served to anyone. */
export const PUBLIC_ACCESS_BLOCK = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } as const;

/** S3-managed keys: no KMS key policy for a compromised role to be granted through. */
export const ENCRYPTION_RULES = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];

export interface PolicyStatement {
  Sid: string;
  Effect: "Deny" | "Allow";
  Principal: "*";
  Action: string | string[];
  Resource: string | string[];
  Condition: Record<string, Record<string, string | string[]>>;
}

/**
 * Bucket policy on top of the roles' own policies (no Portico role but the archiver's has any S3
 * right on the bucket): TLS only; PutObject by the archiver's role alone, even for the account's
 * administrators; and create-only writes (If-None-Match), so no key ever gets a second version.
 */
export function archiveBucketPolicy(r: { bucketArn: string; archiverRoleArn: string }): { Version: "2012-10-17"; Statement: PolicyStatement[] } {
  const objects = `${r.bucketArn}/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [r.bucketArn, objects],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "OnlyTheArchiverWrites",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: objects,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": r.archiverRoleArn } },
      },
      { Sid: "CreateOnly", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects, Condition: { Null: { "s3:if-none-match": "true" } } },
    ],
  };
}
