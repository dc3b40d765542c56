import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkConfig, startTestSandbox } from "./harness";

describe("sandbox DynamoDB (dynalite on the edge port)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let client: DynamoDBClient;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new DynamoDBClient(sdkConfig(sandbox));
  });
  afterAll(() => sandbox.stop());

  it("creates a table and round-trips an item", async () => {
    await client.send(
      new CreateTableCommand({
        TableName: "contract",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await client.send(new PutItemCommand({ TableName: "contract", Item: { pk: { S: "a" }, n: { N: "1" } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName: "contract", Key: { pk: { S: "a" } } }));
    expect(Item?.n?.N).toBe("1");
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toContain("contract");
  });

  it("answers a conditional-write conflict with the AWS exception", async () => {
    await expect(
      client.send(new PutItemCommand({ TableName: "contract", Item: { pk: { S: "a" } }, ConditionExpression: "attribute_not_exists(pk)" })),
    ).rejects.toMatchObject({ name: "ConditionalCheckFailedException" });
  });

  it("injects throttling when asked", async () => {
    sandbox.faults.set("dynamodb", { throttleRate: 1 });
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: "ThrottlingException" });
    sandbox.faults.clear();
  });
});
