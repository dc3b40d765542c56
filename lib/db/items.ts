import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { db } from "./client";
import { tableName } from "./table";

/**
 * The table's item operations, for the row modules (keys.ts names every row). Conditions and
 * updates are DynamoDB expressions with the attribute names (`#x`) and values (`:x`) they use.
 */

export interface RowKey {
  pk: string;
  sk: string;
}

export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export const rowAbsent: Expression = { expression: "attribute_not_exists(pk)" };
export const rowExists: Expression = { expression: "attribute_exists(pk)" };

/** One set of names and values for an update and its condition (DynamoDB takes them together). */
function attributes(...parts: (Expression | undefined)[]) {
  const names = Object.assign({}, ...parts.map((part) => part?.names)) as Record<string, string>;
  const values = Object.assign({}, ...parts.map((part) => part?.values)) as Record<string, unknown>;
  return {
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

const keyOf = ({ pk, sk }: RowKey) => ({ pk, sk });

export async function getItem<T>(key: RowKey, options: { consistent?: boolean; projection?: string } = {}): Promise<T | undefined> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName(),
      Key: keyOf(key),
      ...(options.consistent ? { ConsistentRead: true } : {}),
      ...(options.projection ? { ProjectionExpression: options.projection } : {}),
    }),
  );
  return Item as T | undefined;
}

/** Several rows in one round trip (at most 100), in the order asked; a missing row is undefined. */
export async function getItems<T>(keys: RowKey[], options: { consistent?: boolean } = {}): Promise<(T | undefined)[]> {
  const found = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] = keys.map(keyOf);
  for (let attempt = 0; pending.length && attempt < 5; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    const out = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }),
    );
    for (const item of out.Responses?.[tableName()] ?? []) found.set(`${item.pk as string}\n${item.sk as string}`, item);
    pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  if (pending.length) throw new Error("DynamoDB left reads unprocessed");
  return keys.map((key) => found.get(`${key.pk}\n${key.sk}`) as T | undefined);
}

/** Writes a whole row; with `condition`, only if it holds (otherwise DynamoDB's ConditionalCheckFailedException). */
export async function putItem<T extends RowKey>(item: T, condition?: Expression): Promise<void> {
  await db.send(
    new PutCommand({ TableName: tableName(), Item: item, ...(condition ? { ConditionExpression: condition.expression, ...attributes(condition) } : {}) }),
  );
}

/** Updates a row (`update` is an UpdateExpression); `condition` as for putItem. `returnNew`: answers the row as written. */
export async function updateItem<T = undefined>(key: RowKey, update: Expression, options: { condition?: Expression; returnNew?: boolean } = {}): Promise<T> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keyOf(key),
      UpdateExpression: update.expression,
      ...(options.condition ? { ConditionExpression: options.condition.expression } : {}),
      ...attributes(update, options.condition),
      ...(options.returnNew ? { ReturnValues: "ALL_NEW" as const } : {}),
    }),
  );
  return Attributes as T;
}

export async function deleteItem(key: RowKey, condition?: Expression): Promise<void> {
  await db.send(
    new DeleteCommand({
      TableName: tableName(),
      Key: keyOf(key),
      ...(condition ? { ConditionExpression: condition.expression, ...attributes(condition) } : {}),
    }),
  );
}

/** A conditional write refused because its condition didn't hold. */
export const isConditionFailure = (error: unknown) => (error as Error)?.name === "ConditionalCheckFailedException";

/** Runs a conditional write: false when its condition didn't hold; any other failure is thrown. */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Every item of a Query, following pages. */
export async function queryAll<T>(input: Omit<QueryCommandInput, "TableName">): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as T[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** One page of a Query, and where the next one starts (none after the last). */
export async function queryPage<T>(input: Omit<QueryCommandInput, "TableName">): Promise<{ items: T[]; next?: Record<string, unknown> }> {
  const page = await db.send(new QueryCommand({ TableName: tableName(), ...input }));
  return { items: (page.Items ?? []) as T[], ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}

/** Every item of a Scan, following pages: for jobs, off the request path. */
export async function scanAll<T>(input: Omit<ScanCommandInput, "TableName">): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName(), ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as T[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Deletes items by key, 25 per request, retrying what DynamoDB leaves unprocessed. */
export async function deleteRows(keys: RowKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]["RequestItems"]>[string] = keys
      .slice(i, i + 25)
      .map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
    for (let attempt = 0; requests.length && attempt < 5; attempt++) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = out.UnprocessedItems?.[tableName()] ?? [];
      if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    if (requests.length) throw new Error("DynamoDB left deletes unprocessed");
  }
}
