import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "@/functions/audit-archiver";
import { archiveObject, archiveRecords, parseStreamEvent } from "@/lib/audit/archive";
import { s3 } from "@/lib/s3/client";

const SK = "2026-03-01T09:30:00.000Z#a1b2c3d4e5f6";
const entry = { M: { type: { S: "key.created" }, id: { S: "a1b2c3d4e5f6" }, at: { S: "2026-03-01T09:30:00.000Z" } } };
const forged = { M: { type: { S: "key.renamed" }, id: { S: "a1b2c3d4e5f6" }, at: { S: "2026-03-01T09:30:00.000Z" } } };

/** A stream record as Lambda delivers it from a NEW_AND_OLD_IMAGES stream. */
function record(eventName: "INSERT" | "MODIFY" | "REMOVE", overrides: { pk?: string; sk?: string; seq?: string; userIdentity?: object } = {}) {
  const keys = { pk: { S: overrides.pk ?? "AUDIT" }, sk: { S: overrides.sk ?? SK } };
  const image = { ...keys, entry };
  return {
    eventID: `ev-${eventName}-${overrides.seq ?? "100"}`,
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    eventSourceARN: "arn:aws:dynamodb:us-east-1:123456789012:table/portico-prod-TableTable/stream/2026-01-01T00:00:00.000",
    dynamodb: {
      ApproximateCreationDateTime: 1772357400,
      Keys: keys,
      SequenceNumber: overrides.seq ?? "100",
      SizeBytes: 120,
      StreamViewType: "NEW_AND_OLD_IMAGES",
      ...(eventName === "INSERT" ? { NewImage: image } : {}),
      ...(eventName === "MODIFY" ? { OldImage: image, NewImage: { ...keys, entry: forged, expires: { N: "1772400000" } } } : {}),
      ...(eventName === "REMOVE" ? { OldImage: image } : {}),
    },
    ...(overrides.userIdentity ? { userIdentity: overrides.userIdentity } : {}),
  };
}

const parse = (...records: object[]) => parseStreamEvent({ Records: records });

function mockS3() {
  return vi.spyOn(s3, "send").mockResolvedValue({} as never);
}

const sentPuts = (send: ReturnType<typeof mockS3>) => send.mock.calls.map(([command]) => (command as PutObjectCommand).input);

const preconditionFailed = () =>
  new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    $metadata: { httpStatusCode: 412 },
    message: "At least one of the pre-conditions you specified did not hold",
  });

afterEach(() => vi.restoreAllMocks());

describe("audit archive objects", () => {
  it("stores a new entry under entries/, keyed by its sort key and the record's sequence number", () => {
    const [insert] = parse(record("INSERT"));
    expect(archiveObject(insert!)).toEqual({
      key: `entries/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/100-insert.json`,
      body: JSON.stringify(insert),
      tampering: false,
    });
  });

  it("keeps the whole stream record as the body, images as DynamoDB wrote them", () => {
    const [insert] = parse(record("INSERT"));
    const body = JSON.parse(archiveObject(insert!)!.body) as { dynamodb: { NewImage: unknown }; eventName: string };
    expect(body.eventName).toBe("INSERT");
    expect(body.dynamodb.NewImage).toEqual({ pk: { S: "AUDIT" }, sk: { S: SK }, entry });
  });

  it("files an overwrite (MODIFY) and a removal (REMOVE, e.g. by TTL) under tampering/, with the original", () => {
    const [modify, remove] = parse(
      record("MODIFY", { seq: "200" }),
      record("REMOVE", { seq: "300", userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" } }),
    );
    const overwrite = archiveObject(modify!)!;
    expect(overwrite.key).toBe("tampering/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/200-modify.json");
    expect(overwrite.tampering).toBe(true);
    expect(JSON.parse(overwrite.body).dynamodb.OldImage.entry).toEqual(entry);
    const removal = archiveObject(remove!)!;
    expect(removal.key).toBe("tampering/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/300-remove.json");
    expect(JSON.parse(removal.body).userIdentity).toEqual({ type: "Service", principalId: "dynamodb.amazonaws.com" });
  });

  it("ignores rows outside the audit partition", () => {
    const [other] = parse(record("INSERT", { pk: "USER#u1", sk: "KEY#k1" }));
    expect(archiveObject(other!)).toBeNull();
  });

  it("keeps a forged sort key from shaping the object key", () => {
    const [insert] = parse(record("INSERT", { sk: "../../x/#y?z" }));
    expect(archiveObject(insert!)!.key).toBe("entries/.._.._x__y_z/100-insert.json");
    const [empty] = parse(record("INSERT", { sk: "" }));
    expect(archiveObject(empty!)!.key).toBe("entries/_/100-insert.json");
  });

  it("refuses events that are not DynamoDB stream records", () => {
    expect(() => parseStreamEvent({})).toThrow();
    expect(() => parseStreamEvent({ Records: [{ eventName: "INSERT" }] })).toThrow();
    expect(() => parse({ ...record("INSERT"), eventName: "DROP" })).toThrow();
  });
});

describe("archiving a batch", () => {
  it("writes each audit record create-only, with a checksum (Object Lock requires one)", async () => {
    const send = mockS3();
    const report = await archiveRecords(parse(record("INSERT"), record("INSERT", { pk: "USER#u1", sk: "PROFILE" })), "archive-bucket");
    expect(report).toEqual({ archived: 1, duplicates: 0, skipped: 1, tampering: [] });
    expect(sentPuts(send)).toEqual([
      {
        Bucket: "archive-bucket",
        Key: "entries/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/100-insert.json",
        Body: JSON.stringify(parse(record("INSERT"))[0]),
        ContentType: "application/json",
        IfNoneMatch: "*",
        ChecksumAlgorithm: "SHA256",
      },
    ]);
  });

  it("treats an object that is already there as archived: a redelivered batch succeeds", async () => {
    const send = mockS3();
    send.mockRejectedValueOnce(preconditionFailed());
    const report = await archiveRecords(parse(record("INSERT"), record("MODIFY", { seq: "200" })), "archive-bucket");
    expect(report).toEqual({ archived: 1, duplicates: 1, skipped: 0, tampering: ["tampering/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/200-modify.json"] });
    expect(sentPuts(send).map((p) => p.Key)).toEqual([
      "entries/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/100-insert.json",
      "tampering/2026-03-01T09:30:00.000Z_a1b2c3d4e5f6/200-modify.json",
    ]);
  });

  it("fails the batch on any other error, so Lambda delivers it again", async () => {
    const send = mockS3();
    send.mockRejectedValueOnce(
      new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Access Denied" }),
    );
    await expect(archiveRecords(parse(record("INSERT")), "archive-bucket")).rejects.toThrow("Access Denied");
  });

  it("writes the same keys when the same records come again", async () => {
    const send = mockS3();
    const batch = parse(record("INSERT"), record("MODIFY", { seq: "200" }), record("REMOVE", { seq: "300" }));
    await archiveRecords(batch, "archive-bucket");
    await archiveRecords(batch, "archive-bucket");
    const keys = sentPuts(send).map((p) => p.Key);
    expect(keys.slice(0, 3)).toEqual(keys.slice(3));
  });
});

describe("the archiver function", () => {
  it("reports tampering by key only, never the entry's content", async () => {
    mockS3();
    vi.stubEnv("AUDIT_ARCHIVE_BUCKET", "archive-bucket");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const report = await handler({ Records: [record("INSERT"), record("MODIFY", { seq: "200" })] });
    expect(report.tampering).toHaveLength(1);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain("TAMPERING");
    expect(String(errors.mock.calls[0]![0])).not.toContain("key.renamed");
    vi.unstubAllEnvs();
  });

  it("refuses to run without its bucket", async () => {
    vi.stubEnv("AUDIT_ARCHIVE_BUCKET", "");
    await expect(handler({ Records: [] })).rejects.toThrow("AUDIT_ARCHIVE_BUCKET");
    vi.unstubAllEnvs();
  });
});
