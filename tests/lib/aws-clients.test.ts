import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { CreateUsagePlanCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { startTestSandbox } from "../sandbox/harness";

const root = path.resolve(import.meta.dirname, "../..");

describe("lib/ AWS clients reach the sandbox through the SDK's standard endpoint settings", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let lib: { apigw: typeof import("@/lib/apigateway"); db: typeof import("@/lib/db") };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // Configuration only: the same variables an owner would set for any AWS-compatible endpoint.
    process.env.AWS_ENDPOINT_URL = sandbox.url;
    process.env.AWS_REGION = SANDBOX_REGION;
    process.env.AWS_ACCESS_KEY_ID = SANDBOX_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_CREDENTIALS.secretAccessKey;
    lib = { apigw: await import("@/lib/apigateway"), db: await import("@/lib/db") };
    await fetch(`${sandbox.url}/_sandbox/apigateway/budget`, { method: "PUT", body: JSON.stringify({ enabled: false }) });
  });
  afterAll(() => sandbox.stop());

  it("counts control-plane calls and the HTTP requests (retries included) per operation", async () => {
    const { apigateway, getControlPlaneStats, resetControlPlaneStats } = lib.apigw;
    resetControlPlaneStats();
    await apigateway.send(new CreateUsagePlanCommand({ name: "Counted" }));
    await apigateway.send(new GetUsagePlansCommand({}));
    await apigateway.send(new GetUsagePlansCommand({}));
    expect(getControlPlaneStats()).toEqual({ calls: { CreateUsagePlan: 1, GetUsagePlans: 2 }, requests: { CreateUsagePlan: 1, GetUsagePlans: 2 } });
  });

  it("retries throttled and failing calls with backoff, and the retries are counted", async () => {
    const { apigateway, getControlPlaneStats, resetControlPlaneStats } = lib.apigw;
    resetControlPlaneStats();
    sandbox.faults.set("apigateway", { errorNext: 2 });
    await apigateway.send(new GetUsagePlansCommand({}));
    expect(getControlPlaneStats().requests.GetUsagePlans).toBe(3);
    sandbox.faults.set("apigateway", { throttleNext: 1 });
    const started = Date.now();
    await apigateway.send(new GetUsagePlansCommand({}));
    // The sandbox's 429 carries Retry-After: 1, and the SDK honours it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(getControlPlaneStats()).toEqual({ calls: { GetUsagePlans: 2 }, requests: { GetUsagePlans: 5 } });
    sandbox.faults.clear();
  });

  it("gives up after a bounded number of attempts when the fault persists", async () => {
    const { apigateway, getControlPlaneStats, resetControlPlaneStats } = lib.apigw;
    resetControlPlaneStats();
    sandbox.faults.set("apigateway", { errorRate: 1 });
    try {
      // …and then says so the one way the portal reports it: AppError("unavailable"), the SDK error as its cause.
      await expect(apigateway.send(new GetUsagePlansCommand({}))).rejects.toMatchObject({
        code: "unavailable",
        cause: { name: "ServiceUnavailableException" },
      });
    } finally {
      sandbox.faults.clear();
    }
    expect(getControlPlaneStats().requests.GetUsagePlans).toBe(4);
  });

  it("DynamoDB goes to the same endpoint", async () => {
    const { TableNames } = await lib.db.dynamodb.send(new ListTablesCommand({}));
    expect(Array.isArray(TableNames)).toBe(true);
  });
});

describe("production code has no sandbox branch", () => {
  const sources = (dir: string): string[] => {
    const full = path.join(root, dir);
    try {
      statSync(full);
    } catch {
      return [];
    }
    return readdirSync(full, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|tsx)$/.test(f))
      .map((f) => path.join(full, f));
  };

  it("app/, lib/ and functions/ never import local/ nor name the sandbox's endpoint", () => {
    const files = [...sources("app"), ...sources("lib"), ...sources("functions"), ...sources("components")];
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.filter((file) => {
      const text = readFileSync(file, "utf8");
      return /from\s+["'](@\/local|(\.\.\/)+local)\//.test(text) || /localhost:4566|_user_request_|SANDBOX_/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
