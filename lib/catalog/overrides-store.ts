import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db } from "../db/client";
import { tableName } from "../db/table";
import { AppError } from "../errors";
import { NO_OVERRIDES, parseOverrides, type CatalogOverrides } from "./overrides";

/**
 * The catalog overrides row:
 *
 *   pk = PORTICO#SETTINGS, sk = CATALOG
 *   version      number, +1 per write; every write is conditional on the version it read
 *   hiddenPlans  [usage plan id]       products hidden from the catalog
 *   sdksOff      ["<apiId>/<stage>"]   API stages without SDK downloads
 *   updatedAt, updatedBy
 *
 * No row means nothing is overridden. Validated with zod on the way in and out.
 */
export const OVERRIDES_KEY = { pk: "PORTICO#SETTINGS", sk: "CATALOG" } as const;

export const CONFLICT_MESSAGE = "Another administrator changed the catalog settings meanwhile. Check the current settings and try again.";

/** One GetItem. `consistent` for read-modify-write and the admin page; visitors' reads are cached (index.ts). */
export async function readCatalogOverrides(options: { consistent?: boolean } = {}): Promise<CatalogOverrides> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: OVERRIDES_KEY, ConsistentRead: options.consistent ?? false }));
  // The schema drops the key attributes (and anything else it doesn't know).
  return Item ? parseOverrides(Item) : NO_OVERRIDES;
}

/**
 * Stores `next` as version `expectedVersion + 1`, only if the row is still at `expectedVersion`
 * (or absent, for 0). Someone else's write in between is a 409 AppError, never a silent overwrite.
 */
export async function writeCatalogOverrides(next: Pick<CatalogOverrides, "hiddenPlans" | "sdksOff">, expectedVersion: number, options: { by?: string; now?: Date } = {}): Promise<CatalogOverrides> {
  const row = parseOverrides({
    hiddenPlans: [...new Set(next.hiddenPlans)].sort(),
    sdksOff: [...new Set(next.sdksOff)].sort(),
    version: expectedVersion + 1,
    updatedAt: (options.now ?? new Date()).toISOString(),
    ...(options.by ? { updatedBy: options.by } : {}),
  });
  try {
    await db.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...OVERRIDES_KEY, ...row },
        // Version 0 is "no row yet" (or one written by hand without changes).
        ConditionExpression: expectedVersion === 0 ? "attribute_not_exists(pk) OR #version = :expected" : "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": expectedVersion },
      }),
    );
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") throw new AppError("conflict", CONFLICT_MESSAGE, { cause: error });
    throw error;
  }
  return row;
}
