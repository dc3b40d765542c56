import { TABLE } from "../../lib/db/table";

/**
 * `sst.aws.Dynamo` arguments for the portal's single table, derived from the definition the app
 * and the sandbox share (lib/db/table.ts), so the three cannot drift apart.
 */
export function tableOptions(table: typeof TABLE = TABLE) {
  const keys = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    // DynamoDB only declares attributes used in keys; everything else (e.g. `expires`) is free-form.
    fields: Object.fromEntries(keys.map((k) => [k, "string" as const])),
    primaryIndex: { hashKey: table.partitionKey, rangeKey: table.sortKey },
    // ALL projection: the Auth.js adapter reads whole items through GSI1.
    globalIndexes: Object.fromEntries(table.indexes.map((i) => [i.name, { hashKey: i.partitionKey, rangeKey: i.sortKey, projection: "all" as const }])),
    ttl: table.ttlAttribute,
    // The audit archiver (infra/audit.ts) needs each change's before and after: an overwritten
    // audit row shows up as a MODIFY whose old image is the original.
    stream: "new-and-old-images" as const,
  };
}

export const INDEX_NAMES: readonly string[] = TABLE.indexes.map((i) => i.name);
