import { describe, expect, it } from "vitest";
import { TABLE } from "@/lib/db/table";
import { INDEX_NAMES, tableOptions } from "@/infra/lib/table";

describe("the DynamoDB table in AWS", () => {
  it("has the key schema, index and TTL the app and the sandbox use (lib/db/table.ts), and a stream for the audit archive", () => {
    expect(tableOptions()).toEqual({
      fields: { pk: "string", sk: "string", GSI1PK: "string", GSI1SK: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
      globalIndexes: { GSI1: { hashKey: "GSI1PK", rangeKey: "GSI1SK", projection: "all" } },
      ttl: "expires",
      stream: "new-and-old-images",
    });
    expect(INDEX_NAMES).toEqual(TABLE.indexes.map((i) => i.name));
  });

  it("declares only key attributes (DynamoDB rejects unindexed attribute definitions)", () => {
    const { fields, ttl } = tableOptions();
    expect(Object.keys(fields)).not.toContain(ttl);
  });
});
