import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  CreateStageCommand,
  DeleteApiKeyCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  DeleteUsagePlanCommand,
  GetDeploymentsCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  PutRestApiCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetExportCommand,
  GetRestApisCommand,
  GetSdkCommand,
  GetStagesCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportRestApiCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { unzipSync, strFromU8 } from "fflate";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogApi, importAndDeploy, ManualClock, sdkConfig, setBudget, startTestSandbox } from "./harness";

const today = () => new Date().toISOString().slice(0, 10);

describe("sandbox API Gateway control plane (REST-JSON through the real SDK)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let apigw: APIGatewayClient;
  let petsId: string;
  let weatherId: string;

  // API Gateway's clock stands still: the budget refills only when a test moves it, however slow the machine.
  const clock = new ManualClock();
  const call = (apiId: string, stage: string, p: string, init: RequestInit = {}) => fetch(`${sandbox.url}/restapis/${apiId}/${stage}/_user_request_${p}`, init);
  const newKey = async (name: string, enabled = true) => {
    const key = await apigw.send(new CreateApiKeyCommand({ name, enabled }));
    return { id: key.id!, value: key.value! };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ apiGatewayClock: clock.now });
    apigw = new APIGatewayClient(sdkConfig(sandbox));
    await setBudget(sandbox, false);
    petsId = await importAndDeploy(apigw, catalogApi("pets.yaml"));
    weatherId = await importAndDeploy(apigw, catalogApi("weather.yaml"));
  });
  afterAll(() => sandbox.stop());

  describe("REST APIs and stages", () => {
    it("imports OpenAPI 3.0 and 3.1 definitions and lists them with epoch-second dates", async () => {
      const { items } = await apigw.send(new GetRestApisCommand({}));
      expect(items?.map((a) => a.name).sort()).toEqual(["Pets API", "Weather API"]);
      expect(items?.[0]?.createdDate).toBeInstanceOf(Date);
      expect(Math.abs(items![0]!.createdDate!.getTime() - Date.now())).toBeLessThan(60_000);
      const { item } = await apigw.send(new GetStagesCommand({ restApiId: petsId }));
      expect(item?.map((s) => s.stageName)).toEqual(["prod"]);
    });

    it("imports Swagger 2.0 by converting it", async () => {
      const swagger = { swagger: "2.0", info: { title: "Legacy", version: "1" }, paths: { "/x": { get: { responses: { 200: { description: "ok" } } } } } };
      const api = await apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(swagger)) }));
      expect(api.name).toBe("Legacy");
    });

    it("rejects a body that is not an API definition with BadRequestException", async () => {
      await expect(apigw.send(new ImportRestApiCommand({ body: Buffer.from("{not json") }))).rejects.toMatchObject({
        name: "BadRequestException",
        $metadata: { httpStatusCode: 400 },
      });
      await expect(apigw.send(new ImportRestApiCommand({ body: Buffer.from('{"openapi":"9"}') }))).rejects.toMatchObject({ name: "BadRequestException" });
    });

    it("exports the stage as OpenAPI 3 JSON and Swagger YAML with the invoke URL", async () => {
      const oas = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "oas30", accepts: "application/json" }));
      const doc = JSON.parse(Buffer.from(oas.body!).toString());
      expect(doc.openapi).toBe("3.0.3");
      expect(Object.keys(doc.paths)).toContain("/pets/{petId}");
      expect(doc.servers[0].variables.basePath.default).toBe("prod");
      // AWS answers GetExport as application/octet-stream even to Accept: application/json.
      expect(oas.contentType).toBe("application/octet-stream");

      const swagger = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "swagger", accepts: "application/yaml" }));
      const yaml = parseYaml(Buffer.from(swagger.body!).toString());
      expect(yaml.swagger).toBe("2.0");
      expect(yaml.definitions.Pet).toBeDefined();
      expect(JSON.stringify(yaml)).not.toContain("#/components/schemas");
      // Named after the export type and the API's version (info.version 1.2.0), as AWS does.
      expect(swagger.contentDisposition).toBe('attachment; filename="swagger_1.2.0.yaml"');

      await expect(apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "nope", exportType: "oas30" }))).rejects.toMatchObject({
        name: "NotFoundException",
      });
      await expect(apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "raml" }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
    });

    it("generates SDK zips and requires each type's parameters", async () => {
      const sdk = await apigw.send(new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: "javascript" }));
      const files = unzipSync(new Uint8Array(sdk.body!));
      const client = Object.entries(files).find(([name]) => name.endsWith("apigClient.js"));
      expect(client).toBeDefined();
      expect(strFromU8(client![1])).toContain("getPetsPetId");
      await expect(apigw.send(new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: "java" }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      const java = await apigw.send(
        new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: "java", parameters: { serviceName: "Pets", javaPackageName: "com.example.pets" } }),
      );
      expect(Object.keys(unzipSync(new Uint8Array(java.body!))).some((f) => f.endsWith("operations.json"))).toBe(true);
    });
  });

  describe("API keys", () => {
    it("creates, reads, updates and deletes a key; the value shows only when asked", async () => {
      const created = await apigw.send(new CreateApiKeyCommand({ name: "crud", enabled: true, customerId: "cust-1", tags: { user: "u1" } }));
      expect(created.value).toMatch(/^[A-Za-z0-9]{40}$/);
      const hidden = await apigw.send(new GetApiKeyCommand({ apiKey: created.id! }));
      expect(hidden.value).toBeUndefined();
      expect(hidden.tags).toEqual({ user: "u1" });
      const shown = await apigw.send(new GetApiKeyCommand({ apiKey: created.id!, includeValue: true }));
      expect(shown.value).toBe(created.value);
      const updated = await apigw.send(
        new UpdateApiKeyCommand({
          apiKey: created.id!,
          patchOperations: [
            { op: "replace", path: "/enabled", value: "false" },
            { op: "replace", path: "/name", value: "renamed" },
          ],
        }),
      );
      expect(updated).toMatchObject({ enabled: false, name: "renamed" });
      await apigw.send(new DeleteApiKeyCommand({ apiKey: created.id! }));
      await expect(apigw.send(new GetApiKeyCommand({ apiKey: created.id! }))).rejects.toMatchObject({
        name: "NotFoundException",
        $metadata: { httpStatusCode: 404 },
      });
    });

    it("enforces key value rules and uniqueness", async () => {
      await expect(apigw.send(new CreateApiKeyCommand({ name: "short", value: "tooshort" }))).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(apigw.send(new CreateApiKeyCommand({ name: "symbols", value: "has spaces and symbols !!!!" }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      const value = "a".repeat(20) + "B1";
      await apigw.send(new CreateApiKeyCommand({ name: "fixed", value }));
      await expect(apigw.send(new CreateApiKeyCommand({ name: "dup", value }))).rejects.toMatchObject({
        name: "ConflictException",
        $metadata: { httpStatusCode: 409 },
      });
    });

    it("pages with limit and position and filters by name prefix and customerId", async () => {
      for (let i = 0; i < 7; i++) await apigw.send(new CreateApiKeyCommand({ name: `page-${i}`, customerId: i === 3 ? "c-3" : undefined }));
      const first = await apigw.send(new GetApiKeysCommand({ nameQuery: "page-", limit: 3 }));
      expect(first.items).toHaveLength(3);
      expect(first.position).toBeTruthy();
      const names: string[] = [];
      let position: string | undefined;
      do {
        const page = await apigw.send(new GetApiKeysCommand({ nameQuery: "page-", limit: 3, position }));
        names.push(...page.items!.map((k) => k.name!));
        position = page.position;
      } while (position);
      expect(names.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
      const byCustomer = await apigw.send(new GetApiKeysCommand({ customerId: "c-3" }));
      expect(byCustomer.items?.map((k) => k.name)).toEqual(["page-3"]);
      // AWS caps an over-large limit rather than refusing it (tests/sandbox/fidelity-control-plane.test.ts).
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "page-", limit: 501 }))).items).toHaveLength(7);
      await expect(apigw.send(new GetApiKeysCommand({ position: "garbage!" }))).rejects.toMatchObject({ name: "BadRequestException" });
    });

    it("rejects unknown patch paths", async () => {
      const { id } = await newKey("patch");
      await expect(apigw.send(new UpdateApiKeyCommand({ apiKey: id, patchOperations: [{ op: "replace", path: "/value", value: "x" }] }))).rejects.toMatchObject(
        { name: "BadRequestException" },
      );
    });
  });

  describe("usage plans and keys", () => {
    it("creates a plan, patches throttle, quota and productCode, and validates them", async () => {
      const plan = await apigw.send(
        new CreateUsagePlanCommand({
          name: "Patchable",
          apiStages: [{ apiId: weatherId, stage: "prod" }],
          throttle: { rateLimit: 10, burstLimit: 20 },
          quota: { limit: 1000, period: "MONTH", offset: 0 },
        }),
      );
      const patched = await apigw.send(
        new UpdateUsagePlanCommand({
          usagePlanId: plan.id!,
          patchOperations: [
            { op: "replace", path: "/productCode", value: "prod-abc123" },
            { op: "replace", path: "/throttle/rateLimit", value: "5" },
            { op: "replace", path: "/quota/limit", value: "500" },
            { op: "replace", path: "/quota/period", value: "WEEK" },
          ],
        }),
      );
      expect(patched).toMatchObject({ productCode: "prod-abc123", throttle: { rateLimit: 5, burstLimit: 20 }, quota: { limit: 500, period: "WEEK" } });
      await expect(
        apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "replace", path: "/quota/period", value: "YEAR" }] })),
      ).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(
        apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "replace", path: "/throttle/rateLimit", value: "-1" }] })),
      ).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(apigw.send(new CreateUsagePlanCommand({ name: "Bad stage", apiStages: [{ apiId: "nope", stage: "prod" }] }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      await expect(apigw.send(new CreateUsagePlanCommand({ name: "" }))).rejects.toMatchObject({ name: "BadRequestException" });
    });

    it("adds keys to plans, lists them, finds plans by key, and removes them", async () => {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Listing", apiStages: [{ apiId: petsId, stage: "prod" }] }));
      const key = await newKey("listing-key");
      const upk = await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));
      expect(upk).toMatchObject({ id: key.id, type: "API_KEY", name: "listing-key", value: key.value });
      const { items } = await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
      expect(items?.map((k) => k.id)).toEqual([key.id]);
      const plans = await apigw.send(new GetUsagePlansCommand({ keyId: key.id }));
      expect(plans.items?.map((p) => p.id)).toEqual([plan.id]);
      await expect(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }))).rejects.toMatchObject({
        name: "ConflictException",
      });
      await apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id }));
      expect((await apigw.send(new GetUsagePlansCommand({ keyId: key.id }))).items).toEqual([]);
      await expect(apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id }))).rejects.toMatchObject({ name: "NotFoundException" });
      await expect(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: "nope", keyId: key.id, keyType: "API_KEY" }))).rejects.toMatchObject({
        name: "NotFoundException",
      });
      await expect(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: "nope", keyType: "API_KEY" }))).rejects.toMatchObject({
        name: "NotFoundException",
      });
    });

    it("refuses a second plan for the same API stage on one key (409)", async () => {
      const basic = await apigw.send(new CreateUsagePlanCommand({ name: "Basic", apiStages: [{ apiId: weatherId, stage: "prod" }] }));
      const premium = await apigw.send(new CreateUsagePlanCommand({ name: "Premium", apiStages: [{ apiId: weatherId, stage: "prod" }] }));
      const key = await newKey("one-plan-per-stage");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: basic.id!, keyId: key.id, keyType: "API_KEY" }));
      await expect(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: premium.id!, keyId: key.id, keyType: "API_KEY" }))).rejects.toMatchObject({
        name: "ConflictException",
        message: expect.stringContaining(`${weatherId}:prod`),
      });
      // Adding the stage to a plan the key is already in elsewhere is refused too.
      const empty = await apigw.send(new CreateUsagePlanCommand({ name: "Empty" }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: empty.id!, keyId: key.id, keyType: "API_KEY" }));
      await expect(
        apigw.send(new UpdateUsagePlanCommand({ usagePlanId: empty.id!, patchOperations: [{ op: "add", path: "/apiStages", value: `${weatherId}:prod` }] })),
      ).rejects.toMatchObject({ name: "ConflictException" });
    });

    it("limits a key to 10 usage plans", async () => {
      const key = await newKey("many-plans");
      for (let i = 0; i < 10; i++) {
        const plan = await apigw.send(new CreateUsagePlanCommand({ name: `Stageless ${i}` }));
        await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));
      }
      const eleventh = await apigw.send(new CreateUsagePlanCommand({ name: "Stageless 10" }));
      await expect(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: eleventh.id!, keyId: key.id, keyType: "API_KEY" }))).rejects.toMatchObject({
        name: "LimitExceededException",
        $metadata: { httpStatusCode: 429 },
      });
    });

    it("validates GetUsage dates", async () => {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Dates" }));
      await expect(apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: "yesterday", endDate: today() }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      await expect(apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: "2026-02-02", endDate: "2026-02-01" }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
    });
  });

  describe("data plane", () => {
    it("create key → add to plan → call the API → GetUsage shows the calls", async () => {
      const plan = await apigw.send(
        new CreateUsagePlanCommand({ name: "Counted", apiStages: [{ apiId: petsId, stage: "prod" }], quota: { limit: 100, period: "DAY", offset: 0 } }),
      );
      const key = await newKey("counted");
      expect((await call(petsId, "prod", "/pets", { headers: { "x-api-key": key.value } })).status).toBe(403);
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));

      const list = await call(petsId, "prod", "/pets", { headers: { "x-api-key": key.value } });
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual([
        { id: 1, name: "Rex", type: "dog", tags: ["friendly"] },
        { id: 2, name: "Tom", type: "cat", tags: [] },
      ]);
      const one = await call(petsId, "prod", "/pets/7", { headers: { "x-api-key": key.value } });
      expect(await one.json()).toMatchObject({ name: "Rex" });
      const created = await call(petsId, "prod", "/pets", { method: "POST", headers: { "x-api-key": key.value }, body: "{}" });
      expect(created.status).toBe(201);
      expect(await created.json()).toHaveProperty("id");

      const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: today(), endDate: today(), keyId: key.id }));
      expect(usage.items).toEqual({ [key.id]: [[3, 97]] });

      // Raw wire format: the map travels under `values`.
      const wire = await fetch(`${sandbox.url}/usageplans/${plan.id}/usage?startDate=${today()}&endDate=${today()}`);
      expect(await wire.json()).toMatchObject({ usagePlanId: plan.id, values: { [key.id]: [[3, 97]] } });
    });

    it("refuses missing, unknown and disabled keys and unknown routes like API Gateway", async () => {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Gate", apiStages: [{ apiId: weatherId, stage: "prod" }] }));
      const key = await newKey("gate");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));
      expect((await call(weatherId, "prod", "/current?city=Lisbon", { headers: { "x-api-key": key.value } })).status).toBe(200);
      const noKey = await call(weatherId, "prod", "/current");
      expect(noKey.status).toBe(403);
      expect(await noKey.json()).toEqual({ message: "Forbidden" });
      expect((await call(weatherId, "prod", "/current", { headers: { "x-api-key": "x".repeat(40) } })).status).toBe(403);
      const missing = await call(weatherId, "prod", "/nowhere", { headers: { "x-api-key": key.value } });
      expect(missing.status).toBe(403);
      expect(await missing.json()).toEqual({ message: "Missing Authentication Token" });
      await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] }));
      expect((await call(weatherId, "prod", "/current", { headers: { "x-api-key": key.value } })).status).toBe(403);
      // A method without an API key requirement answers anyone.
      expect((await call(petsId, "prod", "/health")).status).toBe(200);
    });

    it("throttles per the plan (429 Too Many Requests) and enforces the quota (429 Limit Exceeded)", async () => {
      const throttled = await apigw.send(
        new CreateUsagePlanCommand({ name: "Slow", apiStages: [{ apiId: weatherId, stage: "prod" }], throttle: { rateLimit: 1, burstLimit: 2 } }),
      );
      const slowKey = await newKey("slow");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: throttled.id!, keyId: slowKey.id, keyType: "API_KEY" }));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(weatherId, "prod", "/forecast/Porto", { headers: { "x-api-key": slowKey.value } })).status);
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.slice(2)).toEqual([429, 429]);

      const quota = await apigw.send(
        new CreateUsagePlanCommand({ name: "Tiny", apiStages: [{ apiId: petsId, stage: "prod" }], quota: { limit: 3, period: "MONTH", offset: 0 } }),
      );
      const quotaKey = await newKey("tiny");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: quota.id!, keyId: quotaKey.id, keyType: "API_KEY" }));
      const results: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i++) {
        last = await call(petsId, "prod", "/pets", { headers: { "x-api-key": quotaKey.value } });
        results.push(last.status);
      }
      expect(results).toEqual([200, 200, 200, 429, 429]);
      expect(await last!.json()).toEqual({ message: "Limit Exceeded" });
      const usage = await apigw.send(new GetUsageCommand({ usagePlanId: quota.id!, startDate: today(), endDate: today() }));
      expect(usage.items?.[quotaKey.id]).toEqual([[3, 0]]);
    });
  });

  describe("the remaining operations", () => {
    it("reads, overwrites, stages and deletes a REST API", async () => {
      const api = await apigw.send(new ImportRestApiCommand({ body: catalogApi("weather.yaml") }));
      expect((await apigw.send(new GetRestApiCommand({ restApiId: api.id! }))).name).toBe("Weather API");
      const replaced = await apigw.send(
        new PutRestApiCommand({
          restApiId: api.id!,
          mode: "overwrite",
          body: Buffer.from(
            JSON.stringify({
              openapi: "3.0.0",
              info: { title: "Renamed", version: "1" },
              paths: { "/only": { get: { responses: { 200: { description: "ok" } } } } },
            }),
          ),
        }),
      );
      expect(replaced.name).toBe("Renamed");
      const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, description: "first" }));
      expect((await apigw.send(new GetDeploymentsCommand({ restApiId: api.id! }))).items?.map((d) => d.id)).toEqual([deployment.id]);
      const stage = await apigw.send(new CreateStageCommand({ restApiId: api.id!, stageName: "beta", deploymentId: deployment.id! }));
      expect(stage).toMatchObject({ stageName: "beta", deploymentId: deployment.id });
      expect((await apigw.send(new GetStageCommand({ restApiId: api.id!, stageName: "beta" }))).deploymentId).toBe(deployment.id);
      await expect(apigw.send(new CreateStageCommand({ restApiId: api.id!, stageName: "beta", deploymentId: deployment.id! }))).rejects.toMatchObject({
        name: "ConflictException",
      });
      await expect(apigw.send(new CreateStageCommand({ restApiId: api.id!, stageName: "gamma", deploymentId: "nope" }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      // The deployed stage serves the overwritten definition.
      expect((await call(api.id!, "beta", "/only")).status).toBe(200);
      expect((await call(api.id!, "beta", "/current")).status).toBe(403);
      await apigw.send(new DeleteStageCommand({ restApiId: api.id!, stageName: "beta" }));
      await expect(apigw.send(new GetStageCommand({ restApiId: api.id!, stageName: "beta" }))).rejects.toMatchObject({ name: "NotFoundException" });
      await apigw.send(new DeleteRestApiCommand({ restApiId: api.id! }));
      await expect(apigw.send(new GetRestApiCommand({ restApiId: api.id! }))).rejects.toMatchObject({ name: "NotFoundException" });
    });

    it("gets one usage plan and one plan key, and deletes a plan", async () => {
      const plan = await apigw.send(
        new CreateUsagePlanCommand({ name: "Single", apiStages: [{ apiId: petsId, stage: "prod" }], throttle: { rateLimit: 3, burstLimit: 6 } }),
      );
      expect(await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).toMatchObject({
        name: "Single",
        throttle: { rateLimit: 3, burstLimit: 6 },
        apiStages: [{ apiId: petsId, stage: "prod" }],
      });
      const key = await newKey("single-key");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));
      expect(await apigw.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id }))).toMatchObject({ id: key.id, type: "API_KEY" });
      await apigw.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id! }));
      await expect(apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).rejects.toMatchObject({ name: "NotFoundException" });
      // The key is free to join another plan for the same stage now.
      const other = await apigw.send(new CreateUsagePlanCommand({ name: "Other", apiStages: [{ apiId: petsId, stage: "prod" }] }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id!, keyId: key.id, keyType: "API_KEY" }));
    });

    it("deleting a key removes it from its plans and the data plane refuses it", async () => {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Revoked", apiStages: [{ apiId: petsId, stage: "prod" }] }));
      const key = await newKey("revoked");
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id, keyType: "API_KEY" }));
      expect((await call(petsId, "prod", "/pets", { headers: { "x-api-key": key.value } })).status).toBe(200);
      await apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items).toEqual([]);
      expect((await call(petsId, "prod", "/pets", { headers: { "x-api-key": key.value } })).status).toBe(403);
    });

    it("stops at 10,000 API keys per account", async () => {
      const { items } = await apigw.send(new GetApiKeysCommand({ limit: 500 }));
      let existing = items!.length;
      for (let position = (await apigw.send(new GetApiKeysCommand({ limit: 500 }))).position; position;) {
        const page = await apigw.send(new GetApiKeysCommand({ limit: 500, position }));
        existing += page.items!.length;
        position = page.position;
      }
      const create = () => fetch(`${sandbox.url}/apikeys`, { method: "POST", body: "{}" }).then((r) => r.status);
      const toCreate = 10_000 - existing;
      const workers = Array.from({ length: 16 }, async (_, w) => {
        for (let i = w; i < toCreate; i += 16) expect(await create()).toBe(201);
      });
      await Promise.all(workers);
      await expect(apigw.send(new CreateApiKeyCommand({ name: "one too many" }))).rejects.toMatchObject({
        name: "LimitExceededException",
        $metadata: { httpStatusCode: 429 },
      });
    }, 120_000);
  });

  describe("errors, budget and faults", () => {
    it("answers malformed JSON and unknown routes with AWS errors, never a crash", async () => {
      const malformed = await fetch(`${sandbox.url}/apikeys`, { method: "POST", body: "{oops", headers: { "content-type": "application/json" } });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get("x-amzn-errortype")).toMatch(/^BadRequestException/);
      expect((await malformed.json()).message).toBeTruthy();
      const wrongType = await fetch(`${sandbox.url}/usageplans`, { method: "POST", body: JSON.stringify({ name: 5 }) });
      expect(wrongType.status).toBe(400);
      const unknown = await fetch(`${sandbox.url}/apikeys/abc/unknown`);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get("x-amzn-errortype")).toMatch(/^NotFoundException/);
      // The sandbox still answers after all that.
      expect((await apigw.send(new GetUsagePlansCommand({}))).items).toBeDefined();
    });

    it("enforces the account budget of burst 40 with 429 TooManyRequests and Retry-After", async () => {
      await setBudget(sandbox, true);
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 45; i++) {
          const res = await fetch(`${sandbox.url}/usageplans`);
          statuses.push(res.status);
          if (res.status === 429) {
            retryAfter = res.headers.get("retry-after");
            expect(res.headers.get("x-amzn-errortype")).toMatch(/^TooManyRequestsException/);
          }
        }
        expect(statuses).toEqual([...Array<number>(40).fill(200), ...Array<number>(5).fill(429)]);
        expect(retryAfter).toBe("1");
        // The SDK sees the same error when it does not retry.
        await expect(apigw.send(new GetUsagePlansCommand({}))).rejects.toMatchObject({ name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
        // 10 requests a second refill it.
        clock.advance(100);
        expect((await fetch(`${sandbox.url}/usageplans`)).status).toBe(200);
        expect((await fetch(`${sandbox.url}/usageplans`)).status).toBe(429);
      } finally {
        await setBudget(sandbox, false);
      }
    });

    it("injects control-plane throttling and 5xx, and the SDK's retries ride them out", async () => {
      sandbox.faults.set("apigateway", { errorRate: 1 });
      await expect(apigw.send(new GetUsagePlansCommand({}))).rejects.toMatchObject({ name: "ServiceUnavailableException", $metadata: { httpStatusCode: 503 } });
      sandbox.faults.set("apigateway", { errorRate: 0, throttleNext: 1, errorNext: 1 });
      const retrying = new APIGatewayClient({ ...sdkConfig(sandbox), maxAttempts: 3 });
      expect((await retrying.send(new GetUsagePlansCommand({}))).items).toBeDefined();
      expect(sandbox.faults.get("apigateway")).toMatchObject({ throttleNext: 0, errorNext: 0 });
      // Latency is added per request.
      sandbox.faults.set("apigateway", { latencyMs: 300 });
      const started = Date.now();
      await apigw.send(new GetUsagePlansCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      sandbox.faults.clear();
    });

    it("counts control-plane calls per operation", async () => {
      await fetch(`${sandbox.url}/_sandbox/apigateway/calls`, { method: "DELETE" });
      await apigw.send(new GetUsagePlansCommand({}));
      await apigw.send(new GetApiKeysCommand({}));
      await apigw.send(new GetApiKeysCommand({}));
      const { calls } = await (await fetch(`${sandbox.url}/_sandbox/apigateway/calls`)).json();
      expect(calls).toEqual({ GetUsagePlans: 1, GetApiKeys: 2 });
    });
  });
});
