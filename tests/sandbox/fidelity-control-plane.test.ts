import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetDeploymentsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetSdkTypesCommand,
  GetStageCommand,
  GetTagsCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportApiKeysCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { awsCli, catalogApi, importAndDeploy, sdkConfig, setBudget, startTestSandbox } from "./harness";

/**
 * Where the sandbox's control plane used to differ from AWS, found by running AWS's sample portal
 * backend (aws-sdk v2) and the AWS CLI against it. Each behaviour is checked through the AWS SDK v3
 * and through the AWS CLI (botocore), and on the wire where the difference is a member's presence.
 */
const today = () => new Date().toISOString().slice(0, 10);
const arn = (resource: string) => `arn:aws:apigateway:${SANDBOX_REGION}::${resource}`;

describe("API Gateway control plane fidelity (SDK v3 and AWS CLI)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let apigw: APIGatewayClient;
  let petsId: string;
  let weatherId: string;

  /** Runs `aws apigateway …` against the sandbox and parses its JSON output. */
  const aws = (...args: string[]) => awsCli(sandbox)("apigateway", ...args);
  /** The CLI's error output for a call that must fail. */
  const awsError = async (...args: string[]): Promise<string> => {
    try {
      await aws(...args);
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
    throw new Error(`aws ${args.join(" ")} succeeded`);
  };
  /** One raw request, to see exactly which members are on the wire. */
  const wire = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${p}`, { method, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, errorType: res.headers.get("x-amzn-errortype"), json: text ? JSON.parse(text) : undefined };
  };
  const call = (apiId: string, p: string, key: string) =>
    fetch(`${sandbox.url}/restapis/${apiId}/prod/_user_request_${p}`, { headers: { "x-api-key": key } }).then(async (r) => (await r.arrayBuffer(), r.status));
  const newPlan = async (name: string, apiStages: { apiId: string; stage: string }[] = []) =>
    (await apigw.send(new CreateUsagePlanCommand({ name, apiStages }))).id!;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    apigw = new APIGatewayClient(sdkConfig(sandbox));
    await setBudget(sandbox, false);
    petsId = await importAndDeploy(apigw, catalogApi("pets.yaml"));
    weatherId = await importAndDeploy(apigw, catalogApi("weather.yaml"));
  });
  afterAll(() => sandbox.stop());

  describe("1. `limit` outside 1–500 is accepted, and pages hold at most 500", () => {
    it("SDK: limit 1000 (what the AWS sample portal sends) on every list operation; 0 and -1 mean the default", async () => {
      for (let i = 0; i < 3; i++) await apigw.send(new CreateApiKeyCommand({ name: `lim-${i}` }));
      const keys = await apigw.send(new GetApiKeysCommand({ nameQuery: "lim-", limit: 1000 }));
      expect(keys.items?.map((k) => k.name).sort()).toEqual(["lim-0", "lim-1", "lim-2"]);
      expect(keys.position).toBeUndefined();
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "lim-", limit: 0 }))).items).toHaveLength(3);
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "lim-", limit: -1 }))).items).toHaveLength(3);

      const planId = await newPlan("Limits", [{ apiId: petsId, stage: "prod" }]);
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: keys.items![0]!.id!, keyType: "API_KEY" }));
      expect((await apigw.send(new GetUsagePlansCommand({ limit: 1000 }))).items?.map((p) => p.id)).toContain(planId);
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planId, limit: 1000 }))).items?.map((k) => k.id)).toEqual([keys.items![0]!.id]);
      expect((await apigw.send(new GetRestApisCommand({ limit: 1000 }))).items?.map((a) => a.id).sort()).toEqual([petsId, weatherId].sort());
      expect((await apigw.send(new GetDeploymentsCommand({ restApiId: petsId, limit: 1000 }))).items).toHaveLength(1);
      const resources = await apigw.send(new GetResourcesCommand({ restApiId: petsId, limit: 1000 }));
      expect(resources.items?.map((r) => r.path).sort()).toEqual(["/", "/health", "/pets", "/pets/{petId}"]);
      expect((await apigw.send(new GetSdkTypesCommand({ limit: 1000 }))).items?.map((t) => t.id)).toContain("javascript");
      const usage = await apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate: today(), endDate: today(), limit: 1000 }));
      expect(usage.items).toEqual({ [keys.items![0]!.id!]: [[0, 0]] });
    });

    it("SDK: a limit above 500 pages at 500, as AWS documents the maximum", async () => {
      const create = (i: number) =>
        fetch(`${sandbox.url}/apikeys`, { method: "POST", body: JSON.stringify({ name: `cap-${String(i).padStart(3, "0")}` }) }).then((r) => r.status);
      const statuses = await Promise.all(Array.from({ length: 502 }, (_, i) => create(i)));
      expect(new Set(statuses)).toEqual(new Set([201]));
      const first = await apigw.send(new GetApiKeysCommand({ nameQuery: "cap-", limit: 1000 }));
      expect(first.items).toHaveLength(500);
      expect(first.position).toBeTruthy();
      const second = await apigw.send(new GetApiKeysCommand({ nameQuery: "cap-", limit: 1000, position: first.position }));
      expect(second.items).toHaveLength(2);
      expect(second.position).toBeUndefined();
      // A limit that is not a number (no SDK sends one) is still refused.
      expect(await wire("GET", "/apikeys?limit=many")).toMatchObject({ status: 400, errorType: expect.stringMatching(/^BadRequestException/) });
    });

    it("CLI: --limit 1000 (and --page-size 1000, which sends the same) lists every key", async () => {
      const out = await aws("get-api-keys", "--name-query", "lim-", "--limit", "1000");
      expect(out.items.map((k: { name: string }) => k.name).sort()).toEqual(["lim-0", "lim-1", "lim-2"]);
      expect(out).not.toHaveProperty("position");
      const paged = await aws("get-api-keys", "--name-query", "lim-", "--page-size", "1000");
      expect(paged.items.map((k: { name: string }) => k.name).sort()).toEqual(["lim-0", "lim-1", "lim-2"]);
      const plans = await aws("get-usage-plans", "--limit", "1000");
      expect(plans.items.map((p: { name: string }) => p.name)).toContain("Limits");
      expect((await aws("get-rest-apis", "--limit", "1000")).items).toHaveLength(2);
    });
  });

  describe("2. a non-boolean /enabled patch value is read as Java's Boolean.parseBoolean does", () => {
    it("SDK: 'yes' and 'not-a-boolean' disable the key (200), 'TRUE' enables it", async () => {
      const key = await apigw.send(new CreateApiKeyCommand({ name: "bool", enabled: true }));
      const patch = (value: string) => apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "replace", path: "/enabled", value }] }));
      expect((await patch("yes")).enabled).toBe(false);
      expect((await patch("TRUE")).enabled).toBe(true);
      expect((await patch("not-a-boolean")).enabled).toBe(false);
      expect((await patch("True")).enabled).toBe(true);
      expect((await apigw.send(new GetApiKeyCommand({ apiKey: key.id! }))).enabled).toBe(true);
    });

    it("CLI: value=yes answers 200 with enabled false", async () => {
      const key = await aws("create-api-key", "--name", "cli-bool", "--enabled");
      expect(key.enabled).toBe(true);
      const updated = await aws("update-api-key", "--api-key", key.id, "--patch-operations", "op=replace,path=/enabled,value=yes");
      expect(updated.enabled).toBe(false);
    });
  });

  describe("3. a key created without a name has no name", () => {
    it("SDK and wire: no `name` on create, get, list and plan keys (an empty name is no name too)", async () => {
      const created = await wire("POST", "/apikeys", { customerId: "unnamed-customer" });
      expect(created.status).toBe(201);
      expect(created.json).not.toHaveProperty("name");
      const empty = await apigw.send(new CreateApiKeyCommand({ name: "" }));
      expect(empty.name).toBeUndefined();
      expect((await wire("GET", `/apikeys/${empty.id}`)).json).not.toHaveProperty("name");

      const got = await apigw.send(new GetApiKeyCommand({ apiKey: created.json.id }));
      expect(got.name).toBeUndefined();
      const listed = (await wire("GET", "/apikeys?customerId=unnamed-customer")).json.item;
      expect(listed.map((k: { id: string }) => k.id)).toEqual([created.json.id]);
      expect(listed[0]).not.toHaveProperty("name");
      // A name query never matches an unnamed key.
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: created.json.id }))).items).toEqual([]);

      const planId = await newPlan("Unnamed keys", [{ apiId: weatherId, stage: "prod" }]);
      const upk = await wire("POST", `/usageplans/${planId}/keys`, { keyId: created.json.id, keyType: "API_KEY" });
      expect(upk.json).toEqual({ id: created.json.id, type: "API_KEY", value: created.json.value });
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planId }))).items).toEqual([
        { id: created.json.id, type: "API_KEY", value: created.json.value },
      ]);
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planId, nameQuery: "x" }))).items).toEqual([]);
      // The key still works on the data plane.
      expect(await call(weatherId, "/current?city=Lisbon", created.json.value)).toBe(403); // created disabled
      await apigw.send(new UpdateApiKeyCommand({ apiKey: created.json.id, patchOperations: [{ op: "replace", path: "/enabled", value: "true" }] }));
      expect(await call(weatherId, "/current?city=Lisbon", created.json.value)).toBe(200);
    });

    it("CLI: create-api-key without --name prints no name", async () => {
      const key = await aws("create-api-key");
      expect(key.id).toBeTruthy();
      expect(key).not.toHaveProperty("name");
      expect(await aws("get-api-key", "--api-key", key.id)).not.toHaveProperty("name");
    });

    it("the portal's lib/apigateway lists foreign unnamed (and untagged) keys and plans", async () => {
      Object.assign(process.env, {
        AWS_ENDPOINT_URL: sandbox.url,
        AWS_REGION: SANDBOX_REGION,
        AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      });
      const lib = await import("@/lib/apigateway");
      const foreign = await apigw.send(new CreateApiKeyCommand({}));
      const keys = await lib.listApiKeys();
      expect(keys.find((k) => k.id === foreign.id)).toEqual({ id: foreign.id, name: "", enabled: false, createdDate: expect.any(Date), tags: {} });
      const plans = await lib.listUsagePlans();
      expect(plans.find((p) => p.name === "Unnamed keys")).toMatchObject({ tags: {}, apiStages: [{ apiId: weatherId, stage: "prod" }] });
    });
  });

  describe("4. an empty key value is no value; other invalid values stay refused", () => {
    it("SDK: value '' gets a generated value; too short, too long and non-alphanumeric are 400 with AWS's messages", async () => {
      const key = await apigw.send(new CreateApiKeyCommand({ name: "empty-value", value: "" }));
      expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
      await expect(apigw.send(new CreateApiKeyCommand({ value: "short" }))).rejects.toMatchObject({
        name: "BadRequestException",
        message: "API Key value should be at least 20 characters",
        $metadata: { httpStatusCode: 400 },
      });
      await expect(apigw.send(new CreateApiKeyCommand({ value: "a".repeat(129) }))).rejects.toMatchObject({
        name: "BadRequestException",
        message: "API Key value exceeds maximum size of 128 characters",
      });
      await expect(apigw.send(new CreateApiKeyCommand({ value: "not alphanumeric at all!!" }))).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(apigw.send(new CreateApiKeyCommand({ name: "a".repeat(1025) }))).rejects.toMatchObject({
        name: "BadRequestException",
        message: "Invalid API Key name, can be at most 1024 characters.",
      });
      // Descriptions may be long (AWS allows 125,000 characters).
      expect((await apigw.send(new CreateApiKeyCommand({ name: "long-description", description: "d".repeat(5000) }))).description).toHaveLength(5000);
    });

    it("CLI: --value '' creates a key with a generated value", async () => {
      const key = await aws("create-api-key", "--name", "cli-empty-value", "--value", "");
      expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(await awsError("create-api-key", "--value", "x".repeat(19))).toContain("API Key value should be at least 20 characters");
    });
  });

  describe("5. GetUsagePlanKeys for an unknown plan is an empty list", () => {
    it("SDK: 200 with no items", async () => {
      const out = await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: "doesnotexist" }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.items).toEqual([]);
      expect((await wire("GET", "/usageplans/doesnotexist/keys")).json).toEqual({ item: [] });
      // Other operations on an unknown plan are still 404.
      await expect(apigw.send(new GetUsagePlanCommand({ usagePlanId: "doesnotexist" }))).rejects.toMatchObject({ name: "NotFoundException" });
    });

    it("CLI: get-usage-plan-keys prints an empty list", async () => {
      expect(await aws("get-usage-plan-keys", "--usage-plan-id", "doesnotexist")).toEqual({ items: [] });
    });
  });

  describe("6. GetUsage refuses days that do not exist", () => {
    it("SDK: 2026-02-30 and 2026-13-01 are 400 BadRequestException; 2024-02-29 is a day", async () => {
      const planId = await newPlan("Dates");
      for (const [startDate, endDate] of [
        ["2026-02-30", "2026-03-01"],
        ["2026-02-01", "2026-02-31"],
        ["2026-13-01", "2026-13-02"],
        ["2026-04-31", "2026-05-01"],
      ]) {
        await expect(apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate, endDate }))).rejects.toMatchObject({
          name: "BadRequestException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      const leap = await apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate: "2024-02-28", endDate: "2024-03-01" }));
      expect(leap).toMatchObject({ usagePlanId: planId, startDate: "2024-02-28", endDate: "2024-03-01", items: {} });
    });

    it("CLI: --start-date 2026-02-30 fails with BadRequestException", async () => {
      const planId = await newPlan("CLI dates");
      expect(await awsError("get-usage", "--usage-plan-id", planId, "--start-date", "2026-02-30", "--end-date", "2026-03-02")).toContain("BadRequestException");
    });
  });

  describe("7. `tags` is left out of create, list and stage answers when there are none", () => {
    it("wire: create and list answers have no `tags`; single reads and updates carry {} as AWS's do", async () => {
      const key = await wire("POST", "/apikeys", { name: "untagged" });
      expect(key.json).not.toHaveProperty("tags");
      expect((await wire("GET", "/apikeys?name=untagged")).json.item[0]).not.toHaveProperty("tags");
      expect((await wire("GET", `/apikeys/${key.json.id}`)).json.tags).toEqual({});
      expect((await wire("PATCH", `/apikeys/${key.json.id}`, { patchOperations: [{ op: "replace", path: "/description", value: "d" }] })).json.tags).toEqual(
        {},
      );

      const plan = await wire("POST", "/usageplans", { name: "Untagged", apiStages: [{ apiId: petsId, stage: "prod" }] });
      expect(plan.status).toBe(201);
      expect(plan.json).not.toHaveProperty("tags");
      expect((await wire("GET", "/usageplans?limit=500")).json.item.find((p: { id: string }) => p.id === plan.json.id)).not.toHaveProperty("tags");
      expect((await wire("GET", `/usageplans/${plan.json.id}`)).json.tags).toEqual({});
      expect(
        (await wire("PATCH", `/usageplans/${plan.json.id}`, { patchOperations: [{ op: "replace", path: "/description", value: "d" }] })).json.tags,
      ).toEqual({});

      const api = await wire("POST", "/restapis?mode=import", catalogApi("pets.yaml").toString());
      expect(api.status).toBe(201);
      expect(api.json).not.toHaveProperty("tags");
      expect((await wire("GET", "/restapis")).json.item.find((a: { id: string }) => a.id === api.json.id)).not.toHaveProperty("tags");
      expect((await wire("GET", `/restapis/${api.json.id}`)).json.tags).toEqual({});

      const deployment = await wire("POST", `/restapis/${api.json.id}/deployments`, { stageName: "v1" });
      expect(deployment.status).toBe(201);
      expect((await wire("GET", `/restapis/${api.json.id}/stages/v1`)).json).not.toHaveProperty("tags");
      expect((await wire("GET", `/restapis/${api.json.id}/stages`)).json.item[0]).not.toHaveProperty("tags");
      const stage = await wire("POST", `/restapis/${api.json.id}/stages`, { stageName: "v2", deploymentId: deployment.json.id });
      expect(stage.json).not.toHaveProperty("tags");
    });

    it("SDK: tags show where a resource has some", async () => {
      const tagged = await apigw.send(new CreateApiKeyCommand({ name: "tagged", tags: { team: "a" } }));
      expect(tagged.tags).toEqual({ team: "a" });
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "tagged" }))).items?.[0]?.tags).toEqual({ team: "a" });
      const untagged = await apigw.send(new CreateApiKeyCommand({ name: "bare" }));
      expect(untagged.tags).toBeUndefined();
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "bare" }))).items?.[0]?.tags).toBeUndefined();
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Bare plan" }));
      expect(plan.tags).toBeUndefined();
      expect((await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).tags).toEqual({});
      expect((await apigw.send(new GetStageCommand({ restApiId: petsId, stageName: "prod" }))).tags).toBeUndefined();
      const stage = await apigw.send(
        new CreateStageCommand({
          restApiId: petsId,
          stageName: "tagged",
          deploymentId: (await apigw.send(new GetStageCommand({ restApiId: petsId, stageName: "prod" }))).deploymentId!,
          tags: { env: "t" },
        }),
      );
      expect(stage.tags).toEqual({ env: "t" });
    });

    it("CLI: create-usage-plan and create-api-key print no tags", async () => {
      expect(await aws("create-usage-plan", "--name", "CLI bare")).not.toHaveProperty("tags");
      expect(await aws("create-api-key", "--name", "cli-bare")).not.toHaveProperty("tags");
    });
  });

  describe("8a. TagResource, GetTags and UntagResource by ARN", () => {
    it("SDK: tags usage plans, API keys, REST APIs and stages", async () => {
      const planId = await newPlan("Taggable");
      const keyId = (await apigw.send(new CreateApiKeyCommand({ name: "taggable", tags: { keep: "k" } }))).id!;
      for (const resource of [`/usageplans/${planId}`, `/apikeys/${keyId}`, `/restapis/${petsId}`, `/restapis/${petsId}/stages/prod`]) {
        const resourceArn = arn(resource);
        const tag = await apigw.send(new TagResourceCommand({ resourceArn, tags: { owner: "alice", "portico:plan": "gold" } }));
        expect(tag.$metadata.httpStatusCode).toBe(204);
        await apigw.send(new TagResourceCommand({ resourceArn, tags: { owner: "bob" } }));
        const before = await apigw.send(new GetTagsCommand({ resourceArn }));
        expect(before.tags).toEqual({ ...(resource.startsWith("/apikeys") ? { keep: "k" } : {}), owner: "bob", "portico:plan": "gold" });
        const untag = await apigw.send(new UntagResourceCommand({ resourceArn, tagKeys: ["owner", "portico:plan", "absent"] }));
        expect(untag.$metadata.httpStatusCode).toBe(204);
        expect((await apigw.send(new GetTagsCommand({ resourceArn }))).tags).toEqual(resource.startsWith("/apikeys") ? { keep: "k" } : {});
      }
      // Tags show on the resources themselves.
      await apigw.send(new TagResourceCommand({ resourceArn: arn(`/usageplans/${planId}`), tags: { tier: "free" } }));
      expect((await apigw.send(new GetUsagePlanCommand({ usagePlanId: planId }))).tags).toEqual({ tier: "free" });
      expect((await apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items?.find((p) => p.id === planId)?.tags).toEqual({ tier: "free" });
      await apigw.send(new TagResourceCommand({ resourceArn: arn(`/restapis/${weatherId}`), tags: { domain: "weather" } }));
      expect((await apigw.send(new GetRestApiCommand({ restApiId: weatherId }))).tags).toEqual({ domain: "weather" });
      await apigw.send(new TagResourceCommand({ resourceArn: arn(`/restapis/${weatherId}/stages/prod`), tags: { stage: "prod" } }));
      expect((await apigw.send(new GetStageCommand({ restApiId: weatherId, stageName: "prod" }))).tags).toEqual({ stage: "prod" });
    });

    it("SDK: unknown resources are 404, malformed ARNs and reserved keys 400", async () => {
      await expect(apigw.send(new GetTagsCommand({ resourceArn: arn("/usageplans/nope") }))).rejects.toMatchObject({
        name: "NotFoundException",
        message: "Invalid Usage Plan ID specified",
      });
      await expect(apigw.send(new TagResourceCommand({ resourceArn: arn("/apikeys/nope"), tags: { a: "b" } }))).rejects.toMatchObject({
        name: "NotFoundException",
        message: "Invalid API Key identifier specified",
      });
      await expect(apigw.send(new GetTagsCommand({ resourceArn: arn(`/restapis/${petsId}/stages/nope`) }))).rejects.toMatchObject({
        name: "NotFoundException",
      });
      await expect(apigw.send(new GetTagsCommand({ resourceArn: "not-an-arn" }))).rejects.toMatchObject({
        name: "BadRequestException",
        $metadata: { httpStatusCode: 400 },
      });
      const planId = await newPlan("Reserved");
      await expect(apigw.send(new TagResourceCommand({ resourceArn: arn(`/usageplans/${planId}`), tags: { "aws:reserved": "x" } }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      await expect(apigw.send(new TagResourceCommand({ resourceArn: arn(`/usageplans/${planId}`), tags: { k: "v".repeat(257) } }))).rejects.toMatchObject({
        name: "BadRequestException",
      });
      expect((await apigw.send(new GetTagsCommand({ resourceArn: arn(`/usageplans/${planId}`) }))).tags).toEqual({});
    });

    it("CLI: tag-resource, get-tags and untag-resource", async () => {
      const plan = await aws("create-usage-plan", "--name", "CLI tags");
      const resourceArn = arn(`/usageplans/${plan.id}`);
      expect(await aws("tag-resource", "--resource-arn", resourceArn, "--tags", "team=payments,cost=42")).toBeUndefined();
      expect(await aws("get-tags", "--resource-arn", resourceArn)).toEqual({ tags: { team: "payments", cost: "42" } });
      await aws("untag-resource", "--resource-arn", resourceArn, "--tag-keys", "cost");
      expect(await aws("get-tags", "--resource-arn", resourceArn)).toEqual({ tags: { team: "payments" } });
      expect(await awsError("get-tags", "--resource-arn", arn("/usageplans/nope"))).toContain("NotFoundException");
    });
  });

  describe("8b. ImportApiKeys (POST /apikeys?mode=import&format=csv)", () => {
    const value = (seed: string) => `${seed}${"0123456789".repeat(3)}`;

    it("SDK: imports the documented CSV (any header case and order, quoted plan ids), then overwrites by key value", async () => {
      const planA = await newPlan("Import A", [{ apiId: petsId, stage: "prod" }]);
      const planB = await newPlan("Import B", [{ apiId: weatherId, stage: "prod" }]);
      const csv = [
        "Name,key,description,Enabled,usageplanIds,ignored",
        `imported-1,${value("importone")},An imported key,TRUE,${planA},x`,
        `imported-2,${value("importtwo")},,false,"${planA},${planB}",y`,
        `imported-3,${value("importthree")},,,'${planB}',z`,
      ].join("\r\n");
      const out = await apigw.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: "csv" }));
      expect(out.$metadata.httpStatusCode).toBe(201);
      expect(out.ids).toHaveLength(3);
      expect(out.warnings).toBeUndefined();
      const [one, two, three] = await Promise.all(out.ids!.map((id) => apigw.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }))));
      expect(one).toMatchObject({ name: "imported-1", value: value("importone"), description: "An imported key", enabled: true });
      expect(two).toMatchObject({ name: "imported-2", value: value("importtwo"), enabled: false });
      expect(two!.description).toBeUndefined();
      // Enabled defaults to true.
      expect(three).toMatchObject({ name: "imported-3", enabled: true });
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planA }))).items?.map((k) => k.name).sort()).toEqual(["imported-1", "imported-2"]);
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planB }))).items?.map((k) => k.name).sort()).toEqual(["imported-2", "imported-3"]);
      expect(await call(petsId, "/pets", value("importone"))).toBe(200);

      // The same value again overwrites that key (same id), it does not conflict.
      const again = await apigw.send(new ImportApiKeysCommand({ body: Buffer.from(`key,name,enabled\n${value("importone")},renamed,false\n`), format: "csv" }));
      expect(again.ids).toEqual([one!.id]);
      expect(await apigw.send(new GetApiKeyCommand({ apiKey: one!.id! }))).toMatchObject({ name: "renamed", enabled: false });
    });

    it("SDK: bad rows become warnings; failOnWarnings rolls everything back with 400; a missing column is 400", async () => {
      const plan = await newPlan("Import warnings");
      const csv = `name,key,usageplanids\ngood,${value("warngood")},${plan}\nshort,tooshort,\nunknown-plan,${value("warnplan")},nosuchplan\n`;
      await expect(apigw.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: "csv", failOnWarnings: true }))).rejects.toMatchObject({
        name: "BadRequestException",
        $metadata: { httpStatusCode: 400 },
      });
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "good" }))).items).toEqual([]);

      const out = await apigw.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: "csv" }));
      expect(out.ids).toHaveLength(2);
      expect(out.warnings).toEqual(["Line 3: API Key value should be at least 20 characters", "Line 4: Invalid Usage Plan ID specified: nosuchplan"]);
      expect((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan }))).items?.map((k) => k.name)).toEqual(["good"]);
      expect((await apigw.send(new GetApiKeysCommand({ nameQuery: "unknown-plan" }))).items).toHaveLength(1);

      await expect(apigw.send(new ImportApiKeysCommand({ body: Buffer.from(`name,value\nx,${value("nokeycolumn")}\n`), format: "csv" }))).rejects.toMatchObject(
        {
          name: "BadRequestException",
          message: "Missing required column 'Key'",
        },
      );
    });

    it("SDK: a quote that never closes is 400 naming the line it opens on, and nothing is imported (no row swallowed)", async () => {
      // The developer guide: a value may be enclosed in single or double quotes, so `'Tis mine` opens one.
      const rows = [`'Tis mine,${value("tisfirst")}`, `tis-second,${value("tissecond")}`, `tis-third,${value("tisthird")}`];
      for (const failOnWarnings of [false, true]) {
        await expect(
          apigw.send(new ImportApiKeysCommand({ body: Buffer.from(["name,key", ...rows].join("\n")), format: "csv", failOnWarnings })),
        ).rejects.toMatchObject({
          name: "BadRequestException",
          message: expect.stringContaining("the ' on line 2 opens a quoted value that is never closed"),
          $metadata: { httpStatusCode: 400 },
        });
      }
      // A double quote, opened on a later line of a CRLF file.
      const crlf = ["Key,Name", `${value("dqfirst")},dq-first`, `${value("dqsecond")},"dq-second`, `${value("dqthird")},dq-third`].join("\r\n");
      await expect(apigw.send(new ImportApiKeysCommand({ body: Buffer.from(crlf), format: "csv" }))).rejects.toMatchObject({
        name: "BadRequestException",
        message: expect.stringContaining('the " on line 3 opens a quoted value that is never closed'),
      });
      // A later quote would close it mid-value and merge the rows between: refused too, naming both lines.
      const merged = ["name,key", `'90s key,${value("ninetiesone")}`, `Rock 'n' roll,${value("ninetiestwo")}`].join("\n");
      await expect(apigw.send(new ImportApiKeysCommand({ body: Buffer.from(merged), format: "csv" }))).rejects.toMatchObject({
        name: "BadRequestException",
        message: expect.stringContaining("line 3 has text after the quoted value that opens on line 2"),
      });
      for (const nameQuery of ["tis-", "Tis", "dq-", "90s", "Rock"]) expect((await apigw.send(new GetApiKeysCommand({ nameQuery }))).items).toEqual([]);
    });

    it("SDK: what the quoting rules accept still imports: values quoted whole, doubled quotes inside, quotes mid-value, line breaks and commas in quotes", async () => {
      const csv = [
        "name,key,description",
        `'''Tis mine',${value("quotedone")},"said ""hi"""`,
        `O'Brien,${value("quotedtwo")}, it's fine `,
        `"two\nlines" ,'${value("quotedthree")}',`,
        `last,${value("quotedfour")},"a, b"`,
      ].join("\n");
      const out = await apigw.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: "csv", failOnWarnings: true }));
      expect(out.warnings).toBeUndefined();
      const keys = await Promise.all(out.ids!.map((id) => apigw.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }))));
      expect(keys.map(({ name, value, description }) => ({ name, value, description }))).toEqual([
        { name: "'Tis mine", value: value("quotedone"), description: 'said "hi"' },
        { name: "O'Brien", value: value("quotedtwo"), description: "it's fine" },
        { name: "two\nlines", value: value("quotedthree"), description: undefined },
        { name: "last", value: value("quotedfour"), description: "a, b" },
      ]);
    });

    it("wire: the import route wins over CreateApiKey, and format must be csv", async () => {
      await fetch(`${sandbox.url}/_sandbox/apigateway/calls`, { method: "DELETE" });
      const res = await wire("POST", "/apikeys?mode=import&format=csv", `name,key\nwire-import,${value("wireimport")}\n`);
      expect(res.status).toBe(201);
      expect(Object.keys(res.json)).toEqual(["ids"]);
      const { calls } = await (await fetch(`${sandbox.url}/_sandbox/apigateway/calls`)).json();
      expect(calls).toEqual({ ImportApiKeys: 1 });
      expect(await wire("POST", "/apikeys?mode=import&format=json", "{}")).toMatchObject({
        status: 400,
        errorType: expect.stringMatching(/^BadRequestException/),
      });
    });

    it("CLI: import-api-keys --body fileb://keys.csv --format csv", async () => {
      const file = path.join(sandbox.context.stateDir, "keys.csv");
      writeFileSync(file, `Key,Name\n${value("cliimport")},cli-imported\n`);
      const out = await aws("import-api-keys", "--body", `fileb://${file}`, "--format", "csv");
      expect(out.ids).toHaveLength(1);
      expect(await aws("get-api-key", "--api-key", out.ids[0], "--include-value")).toMatchObject({
        name: "cli-imported",
        value: value("cliimport"),
        enabled: true,
      });
      writeFileSync(file, `Key,Name\nshort,cli-bad\n`);
      expect(await awsError("import-api-keys", "--body", `fileb://${file}`, "--format", "csv", "--fail-on-warnings")).toContain("BadRequestException");
      writeFileSync(file, `Name,Key\n'Tis mine,${value("clitisone")}\nsecond,${value("clitistwo")}\nthird,${value("clitisthree")}\n`);
      expect(await awsError("import-api-keys", "--body", `fileb://${file}`, "--format", "csv")).toMatch(
        /BadRequestException.*line 2 opens a quoted value that is never closed/,
      );
    });
  });

  describe("9. per-method throttles in usage plans", () => {
    it("SDK: patches /apiStages/{api}:{stage}/throttle/{path}/{method}/…, answers them keyed /path/METHOD, and the data plane applies them", async () => {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name: "Per method", apiStages: [{ apiId: weatherId, stage: "prod" }] }));
      const key = await apigw.send(new CreateApiKeyCommand({ name: "per-method", enabled: true }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
      const base = `/apiStages/${weatherId}:prod/throttle`;
      const updated = await apigw.send(
        new UpdateUsagePlanCommand({
          usagePlanId: plan.id!,
          patchOperations: [
            { op: "replace", path: `${base}/~1forecast~1{city}/GET/rateLimit`, value: "0.5" },
            { op: "replace", path: `${base}/~1forecast~1{city}/GET/burstLimit`, value: "1" },
            // The unescaped spelling some tools send names the same method.
            { op: "replace", path: `${base}//current/GET/burstLimit`, value: "100" },
          ],
        }),
      );
      const expected = { "/forecast/{city}/GET": { rateLimit: 0.5, burstLimit: 1 }, "/current/GET": { burstLimit: 100 } };
      expect(updated.apiStages).toEqual([{ apiId: weatherId, stage: "prod", throttle: expected }]);
      expect((await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id! }))).apiStages).toEqual([
        { apiId: weatherId, stage: "prod", throttle: expected },
      ]);
      expect((await wire("GET", `/usageplans/${plan.id}`)).json.apiStages[0].throttle).toEqual(expected);

      const forecast = [];
      for (let i = 0; i < 3; i++) forecast.push(await call(weatherId, "/forecast/Porto", key.value!));
      expect(forecast).toEqual([200, 429, 429]);
      const current = [];
      for (let i = 0; i < 3; i++) current.push(await call(weatherId, "/current?city=Porto", key.value!));
      expect(current).toEqual([200, 200, 200]);

      const removed = await apigw.send(
        new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "remove", path: `${base}/~1forecast~1{city}/GET` }] }),
      );
      expect(removed.apiStages).toEqual([{ apiId: weatherId, stage: "prod", throttle: { "/current/GET": { burstLimit: 100 } } }]);
      expect(await call(weatherId, "/forecast/Lisbon", key.value!)).toBe(200);
      const cleared = await apigw.send(
        new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "remove", path: `${base}/~1current/GET` }] }),
      );
      expect(cleared.apiStages).toEqual([{ apiId: weatherId, stage: "prod" }]);
    });

    it("SDK: refuses methods the stage lacks (400) and stages the plan lacks (404); CreateUsagePlan takes the same map", async () => {
      const plan = await apigw.send(
        new CreateUsagePlanCommand({
          name: "Per method create",
          apiStages: [{ apiId: petsId, stage: "prod", throttle: { "/pets/{petId}/GET": { rateLimit: 5, burstLimit: 10 } } }],
        }),
      );
      expect(plan.apiStages).toEqual([{ apiId: petsId, stage: "prod", throttle: { "/pets/{petId}/GET": { rateLimit: 5, burstLimit: 10 } } }]);
      const patch = (path: string, value = "1") =>
        apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "replace", path, value }] }));
      await expect(patch(`/apiStages/${petsId}:prod/throttle/~1nowhere/GET/rateLimit`)).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(patch(`/apiStages/${petsId}:prod/throttle/~1pets/DELETE/rateLimit`)).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(patch(`/apiStages/${weatherId}:prod/throttle/~1current/GET/rateLimit`)).rejects.toMatchObject({ name: "NotFoundException" });
      await expect(patch(`/apiStages/${petsId}:prod/throttle/~1pets/GET/rateLimit`, "-1")).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(patch(`/apiStages/${petsId}:prod/throttle/~1pets/GET/burstLimit`, "1.5")).rejects.toMatchObject({ name: "BadRequestException" });
      await expect(
        apigw.send(
          new CreateUsagePlanCommand({ name: "Bad method", apiStages: [{ apiId: petsId, stage: "prod", throttle: { "/nowhere/GET": { rateLimit: 1 } } }] }),
        ),
      ).rejects.toMatchObject({ name: "BadRequestException" });
      // The whole stage's method map can go at once.
      const cleared = await apigw.send(
        new UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations: [{ op: "remove", path: `/apiStages/${petsId}:prod/throttle` }] }),
      );
      expect(cleared.apiStages).toEqual([{ apiId: petsId, stage: "prod" }]);
    });

    it("CLI: update-usage-plan with a ~1-escaped method throttle path", async () => {
      const plan = await aws("create-usage-plan", "--name", "CLI per method", "--api-stages", `apiId=${petsId},stage=prod`);
      const out = await aws(
        "update-usage-plan",
        "--usage-plan-id",
        plan.id,
        "--patch-operations",
        `op=replace,path=/apiStages/${petsId}:prod/throttle/~1pets/GET/rateLimit,value=20`,
        `op=replace,path=/apiStages/${petsId}:prod/throttle/~1pets/GET/burstLimit,value=40`,
      );
      expect(out.apiStages).toEqual([{ apiId: petsId, stage: "prod", throttle: { "/pets/GET": { rateLimit: 20, burstLimit: 40 } } }]);
    });
  });
});
