import { z } from "zod";
import { AppError } from "../errors";

/**
 * Page cursors: a DynamoDB LastEvaluatedKey as base64url JSON. A cursor comes back from the
 * client, so it is decoded against the exact key shape of the query it continues: anything else
 * (not base64, not JSON, missing or extra keys, another partition) is a 400, never a DynamoDB
 * ValidationException (a 500) and never a read outside the query's partition.
 */
export const INVALID_CURSOR = "That page link isn't valid any more. Start again from the first page.";

const MAX_CURSOR = 2_000;

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType<Record<string, unknown>>>(cursor: string | undefined, shape: T): z.infer<T> | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (cursor.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new AppError("bad_request", INVALID_CURSOR);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new AppError("bad_request", INVALID_CURSOR);
  }
  const parsed = shape.safeParse(key);
  if (!parsed.success) throw new AppError("bad_request", INVALID_CURSOR);
  return parsed.data;
}

/** A key attribute as DynamoDB would accept it: a non-empty string of bounded size. */
export const keyPart = z.string().min(1).max(1_024);
