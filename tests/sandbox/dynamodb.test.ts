import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { APIGatewayClient, CreateUsagePlanCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
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

describe("sandbox state (DynamoDB and API Gateway)", () => {
  it("persists across a restart in the same process", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { startSandbox } = await import("@/local/sandbox");
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-restart-"));
    try {
      const first = await startSandbox({ port: 0, stateDir, quiet: true });
      const client = new DynamoDBClient(sdkConfig(first));
      await client.send(
        new CreateTableCommand({
          TableName: "kept",
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
      await new APIGatewayClient(sdkConfig(first)).send(new CreateUsagePlanCommand({ name: "Kept plan" }));
      await first.close();
      const second = await startSandbox({ port: 0, stateDir, quiet: true });
      const { TableNames } = await new DynamoDBClient(sdkConfig(second)).send(new ListTablesCommand({}));
      const { items } = await new APIGatewayClient(sdkConfig(second)).send(new GetUsagePlansCommand({}));
      await second.close();
      expect(TableNames).toEqual(["kept"]);
      expect(items?.map((p) => p.name)).toEqual(["Kept plan"]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
