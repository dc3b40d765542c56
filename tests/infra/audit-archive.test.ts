import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { archiveBucketPolicy, AUDIT_STREAM_FILTERS, ENCRYPTION_RULES, objectLockRule, PUBLIC_ACCESS_BLOCK } from "@/infra/lib/audit-archive";
import { auditArchiverStatements, AUDIT_PARTITION, type AccountScope } from "@/infra/lib/iam";
import { settingsFor, type StageSettings } from "@/infra/lib/settings";
import { tableOptions } from "@/infra/lib/table";

const scope = { partition: "aws", region: "us-east-1" };
const tableArn = "arn:aws:dynamodb:us-east-1:123456789012:table/portico-prod-TableTable-abc";
const streamArn = `${tableArn}/stream/2026-01-01T00:00:00.000`;
const roleArn = "arn:aws:iam::123456789012:role/portico-prod-AuditArchiverRole-abc";

interface Created {
  type: string;
  name: string;
  args: Record<string, unknown>;
  opts?: Record<string, unknown>;
}

/**
 * Runs infra/audit.ts against stand-ins for SST's globals (`aws`, `sst`, `$resolve`,
 * `$jsonStringify`) that record what it creates, so the wiring is checked without Pulumi or AWS.
 */
async function build(settings: StageSettings) {
  const created: Created[] = [];
  const resource = (type: string) =>
    class {
      id: string;
      arn: string;
      bucket: string;
      nodes = { role: { arn: roleArn } };
      constructor(name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) {
        created.push({ type, name, args, opts });
        this.id = `${name}-id`;
        this.bucket = `portico-prod-${name.toLowerCase()}`;
        this.arn = type === "sst.aws.Function" ? `arn:aws:lambda:us-east-1:123456789012:function:${name}` : `arn:aws:s3:::${this.bucket}`;
      }
    };
  const s3Types = [
    "Bucket",
    "BucketVersioning",
    "BucketObjectLockConfiguration",
    "BucketPublicAccessBlock",
    "BucketServerSideEncryptionConfiguration",
    "BucketPolicy",
  ];
  vi.stubGlobal("aws", { s3: Object.fromEntries(s3Types.map((t) => [t, resource(`aws.s3.${t}`)])) });
  vi.stubGlobal("sst", { aws: { Function: resource("sst.aws.Function") } });
  vi.stubGlobal("$resolve", (values: unknown) => ({ apply: (fn: (v: unknown) => unknown) => fn(values) }));
  vi.stubGlobal("$jsonStringify", (value: unknown) => JSON.stringify(value));
  const subscribe = vi.fn();
  const storage = { table: { nodes: { table: { streamArn } }, subscribe } };
  // A path the type-checker doesn't follow: infra/*.ts is typed against SST's globals (tsconfig.infra.json).
  const file = path.join(import.meta.dirname, "../../infra/audit.ts");
  const { createAuditArchive } = (await import(/* @vite-ignore */ file)) as {
    createAuditArchive: (s: StageSettings, r: { storage: unknown; scope: AccountScope }) => unknown;
  };
  createAuditArchive(settings, { storage, scope });
  const one = (type: string) => {
    const matches = created.filter((c) => c.type === type);
    expect(matches, type).toHaveLength(1);
    return matches[0]!;
  };
  return { created, one, subscribe };
}

afterEach(() => vi.unstubAllGlobals());

describe("the audit archive bucket", () => {
  it("is created with Object Lock and versioning, locking every object by default", async () => {
    const { one } = await build(settingsFor("prod", {}));
    expect(one("aws.s3.Bucket").args).toMatchObject({ objectLockEnabled: true });
    expect(one("aws.s3.BucketVersioning").args).toEqual({ bucket: "AuditArchive-id", versioningConfiguration: { status: "Enabled" } });
    const lock = one("aws.s3.BucketObjectLockConfiguration");
    expect(lock.args).toEqual({ bucket: "AuditArchive-id", rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } } });
    expect(lock.opts?.dependsOn).toHaveLength(1);
  });

  it("blocks every kind of public access and encrypts at rest", async () => {
    const { one } = await build(settingsFor("prod", {}));
    expect(one("aws.s3.BucketPublicAccessBlock").args).toEqual({
      bucket: "AuditArchive-id",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one("aws.s3.BucketServerSideEncryptionConfiguration").args).toEqual({
      bucket: "AuditArchive-id",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    expect(PUBLIC_ACCESS_BLOCK).toEqual({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(ENCRYPTION_RULES).toHaveLength(1);
  });

  it("lets only the archiver's role write, create-only and over TLS", async () => {
    const { one } = await build(settingsFor("prod", {}));
    const bucketArn = "arn:aws:s3:::portico-prod-auditarchive";
    expect(JSON.parse(one("aws.s3.BucketPolicy").args.policy as string)).toEqual(archiveBucketPolicy({ bucketArn, archiverRoleArn: roleArn }));
    const statements = archiveBucketPolicy({ bucketArn, archiverRoleArn: roleArn }).Statement;
    expect(statements.every((s) => s.Effect === "Deny" && s.Principal === "*")).toBe(true);
    expect(statements.find((s) => s.Sid === "OnlyTheArchiverWrites")).toMatchObject({
      Action: "s3:PutObject",
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArn } },
    });
    expect(statements.find((s) => s.Sid === "CreateOnly")).toMatchObject({ Action: "s3:PutObject", Condition: { Null: { "s3:if-none-match": "true" } } });
    expect(statements.find((s) => s.Sid === "TlsOnly")).toMatchObject({
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("uses compliance mode and survives `sst remove` when the stage keeps its data; governance and force-destroy otherwise", async () => {
    const prod = await build(settingsFor("prod", {}));
    expect(prod.one("aws.s3.Bucket")).toMatchObject({ args: { forceDestroy: false }, opts: { retainOnDelete: true } });
    vi.unstubAllGlobals();
    const dev = await build(settingsFor("dev", {}));
    expect(dev.one("aws.s3.Bucket")).toMatchObject({ args: { forceDestroy: true }, opts: { retainOnDelete: false } });
    expect(dev.one("aws.s3.BucketObjectLockConfiguration").args.rule).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 365 } });
    vi.unstubAllGlobals();
    // Compliance-locked objects can't be deleted, so such a bucket is kept even on a throwaway stage.
    const devCompliance = await build(settingsFor("dev", { dev: { auditArchive: { mode: "compliance", retentionDays: 30 } } }));
    expect(devCompliance.one("aws.s3.Bucket")).toMatchObject({ args: { forceDestroy: false }, opts: { retainOnDelete: true } });
    expect(devCompliance.one("aws.s3.BucketObjectLockConfiguration").args.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 30 } });
  });
});

describe("the archiver and its stream", () => {
  it("is a function with the archiver's statements and the bucket's name", async () => {
    const { one } = await build(settingsFor("prod", {}));
    const fn = one("sst.aws.Function");
    expect(fn.args).toMatchObject({
      handler: "functions/audit-archiver.handler",
      environment: { AUDIT_ARCHIVE_BUCKET: "portico-prod-auditarchive" },
      permissions: auditArchiverStatements({ scope, streamArn, archiveBucketArn: "arn:aws:s3:::portico-prod-auditarchive" }),
    });
  });

  it("subscribes to AUDIT rows only, from the oldest record the stream holds", async () => {
    const { subscribe } = await build(settingsFor("prod", {}));
    expect(subscribe).toHaveBeenCalledTimes(1);
    const [name, subscriber, args] = subscribe.mock.calls[0]!;
    expect(name).toBe("AuditArchiver");
    expect(subscriber).toBe("arn:aws:lambda:us-east-1:123456789012:function:AuditArchiver");
    expect(args).toMatchObject({
      filters: [{ dynamodb: { Keys: { pk: { S: [AUDIT_PARTITION] } } } }],
      transform: { eventSourceMapping: { startingPosition: "TRIM_HORIZON" } },
    });
    expect(AUDIT_STREAM_FILTERS).toEqual(args.filters);
  });

  it("streams the table with old and new images, so an overwrite carries the original", () => {
    expect(tableOptions().stream).toBe("new-and-old-images");
  });
});

describe("audit archive settings", () => {
  it("defaults to a year, compliance for stages that keep data and governance for others", () => {
    expect(settingsFor("prod", {}).auditArchive).toEqual({ mode: "compliance", retentionDays: 365 });
    expect(settingsFor("dev", {}).auditArchive).toEqual({ mode: "governance", retentionDays: 365 });
    expect(settingsFor("staging", { staging: { retainData: true } }).auditArchive.mode).toBe("compliance");
    expect(settingsFor("prod", { prod: { auditArchive: { mode: "governance", retentionDays: 2555 } } }).auditArchive).toEqual({
      mode: "governance",
      retentionDays: 2555,
    });
  });

  it("refuses a retention that isn't a whole number of days from 1 to 100 years", () => {
    for (const retentionDays of [0, 1.5, 36_501]) {
      expect(() => settingsFor("prod", { prod: { auditArchive: { retentionDays } } }), String(retentionDays)).toThrow(/prod\.auditArchive\.retentionDays/);
    }
    expect(() => settingsFor("prod", { prod: { auditArchive: { mode: "legal-hold" as "governance" } } })).toThrow(/prod\.auditArchive\.mode/);
  });

  it("turns settings into S3's Object Lock rule", () => {
    expect(objectLockRule({ mode: "governance", retentionDays: 7 })).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 7 } });
  });
});
