/**
 * The portal's single DynamoDB table: Auth.js adapter rows and portal rows side by side.
 * Key shape is the one `@auth/dynamodb-adapter` expects (pk/sk + GSI1), with TTL on `expires`.
 * The sandbox seed and the SST infrastructure both create it from this definition.
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  indexes: [{ name: "GSI1", partitionKey: "GSI1PK", sortKey: "GSI1SK" }],
  ttlAttribute: "expires",
} as const;

export function tableName(): string {
  return process.env.PORTICO_TABLE ?? "portico";
}
