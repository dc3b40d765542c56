import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, startTestSandbox } from "./harness";

/** The AWS CLI (Python, botocore) is a second, independent client of the sandbox's wire format. */
describe("the AWS CLI works against the sandbox unchanged", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let aws: ReturnType<typeof awsCli>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    aws = awsCli(sandbox);
  });
  afterAll(() => sandbox.stop());

  it("imports an API, creates a plan and a key, calls the API and reads the usage", async () => {
    const spec = path.resolve(import.meta.dirname, "../../catalog/apis/pets.yaml");
    const api = await aws("apigateway", "import-rest-api", "--body", `fileb://${spec}`);
    expect(api.name).toBe("Pets API");
    await aws("apigateway", "create-deployment", "--rest-api-id", api.id, "--stage-name", "prod");
    const plan = await aws("apigateway", "create-usage-plan", "--name", "CLI", "--api-stages", `apiId=${api.id},stage=prod`, "--quota", "limit=10,period=DAY");
    const plans = await aws("apigateway", "get-usage-plans");
    expect(plans.items.map((p: { name: string }) => p.name)).toContain("CLI");

    const key = await aws("apigateway", "create-api-key", "--name", "cli-key", "--enabled");
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    // CLI v1 prints the epoch seconds as sent, v2 as ISO 8601; either way it is now.
    const created = typeof key.createdDate === "number" ? key.createdDate * 1000 : Date.parse(key.createdDate);
    expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
    const upk = await aws("apigateway", "create-usage-plan-key", "--usage-plan-id", plan.id, "--key-id", key.id, "--key-type", "API_KEY");
    expect(upk.type).toBe("API_KEY");

    const response = await fetch(`${sandbox.url}/restapis/${api.id}/prod/_user_request_/pets`, { headers: { "x-api-key": key.value } });
    expect(response.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const usage = await aws("apigateway", "get-usage", "--usage-plan-id", plan.id, "--start-date", today, "--end-date", today);
    expect(usage.items).toEqual({ [key.id]: [[1, 9]] });

    const exported = path.join(sandbox.context.stateDir, "export.json");
    await aws("apigateway", "get-export", "--rest-api-id", api.id, "--stage-name", "prod", "--export-type", "oas30", exported);
    expect(JSON.parse(readFileSync(exported, "utf8")).info.title).toBe("Pets API");
  });

  it("surfaces the sandbox's AWS errors by name", async () => {
    await expect(aws("apigateway", "get-api-key", "--api-key", "doesnotexist")).rejects.toMatchObject({
      stderr: expect.stringContaining("NotFoundException"),
    });
    await expect(aws("apigateway", "create-api-key", "--name", "bad", "--value", "short")).rejects.toMatchObject({
      stderr: expect.stringContaining("BadRequestException"),
    });
  });

  it("lists DynamoDB tables", async () => {
    await aws(
      "dynamodb",
      "create-table",
      "--table-name",
      "cli",
      "--attribute-definitions",
      "AttributeName=pk,AttributeType=S",
      "--key-schema",
      "AttributeName=pk,KeyType=HASH",
      "--billing-mode",
      "PAY_PER_REQUEST",
    );
    const { TableNames } = await aws("dynamodb", "list-tables");
    expect(TableNames).toContain("cli");
  });
});
