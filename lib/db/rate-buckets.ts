import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "./client";
import { isConditionFailure, type RowKey } from "./items";
import { rateBucketKey } from "./keys";
import { tableName } from "./table";

/** Bucket name → TAT (epoch ms), as lib/limits/buckets.ts keeps them. */
export type RateBucketState = Record<string, number>;
export type RateBucketExpected = Record<string, { equals: number } | { atMost: number }>;

const BUCKET_NAME = /^[A-Za-z0-9_]{1,64}$/;
const attributeOf = (bucket: string) => {
  if (!BUCKET_NAME.test(bucket)) throw new Error(`Invalid rate bucket name: ${bucket}`);
  return `t_${bucket}`;
};
/** A row's buckets are all full an hour after its last TAT: then TTL may drop it (an absent row is a full bucket). */
const KEEP_SECONDS = 3600;

/**
 * Rate buckets shared by every process of the stage: one item per row, one number attribute per
 * bucket. Each call gives up after `timeoutMs` (the AbortSignal also stops the client's retries),
 * so a slow table costs the caller a bounded delay and the limiter can fall back (lib/limits).
 */
export class DynamoBucketStore {
  constructor(private readonly timeoutMs: number) {}

  async read(row: string): Promise<RateBucketState> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: this.key(row), ConsistentRead: true }), {
      abortSignal: AbortSignal.timeout(this.timeoutMs),
    });
    const state: RateBucketState = {};
    for (const [name, value] of Object.entries(Item ?? {})) if (name.startsWith("t_") && typeof value === "number") state[name.slice(2)] = value;
    return state;
  }

  async write(row: string, next: RateBucketState, expected: RateBucketExpected): Promise<boolean> {
    const names: Record<string, string> = { "#expires": "expires" };
    const values: Record<string, unknown> = { ":expires": Math.ceil(Math.max(...Object.values(next)) / 1000) + KEEP_SECONDS };
    const sets = ["#expires = :expires"];
    const conditions: string[] = [];
    Object.entries(next).forEach(([bucket, tat], i) => {
      names[`#b${i}`] = attributeOf(bucket);
      values[`:n${i}`] = tat;
      sets.push(`#b${i} = :n${i}`);
      const want = expected[bucket];
      if (!want) return;
      values[`:e${i}`] = "equals" in want ? want.equals : want.atMost;
      conditions.push("equals" in want ? `#b${i} = :e${i}` : `(attribute_not_exists(#b${i}) OR #b${i} <= :e${i})`);
    });
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: this.key(row),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ...(conditions.length ? { ConditionExpression: conditions.join(" AND ") } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
        { abortSignal: AbortSignal.timeout(this.timeoutMs) },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private key(row: string): RowKey {
    return rateBucketKey(row);
  }
}
