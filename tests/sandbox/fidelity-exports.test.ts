import { readFileSync } from "node:fs";
import path from "node:path";
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteRestApiCommand,
  DeleteUsagePlanKeyCommand,
  GetAccountCommand,
  GetExportCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetSdkCommand,
  GetSdkTypeCommand,
  GetSdkTypesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_LIMITS } from "@/local/apigateway/budget";
import { awsCli, catalogApi, importAndDeploy, ManualClock, sdkConfig, setBudget, startTestSandbox } from "./harness";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;

/** An API with API Gateway's own extensions, to see which ones each `extensions` value exports. */
const extended = {
  openapi: "3.0.1",
  info: { title: "Extended", version: "3.1.4" },
  "x-amazon-apigateway-binary-media-types": ["image/png"],
  paths: {
    "/items": {
      get: {
        operationId: "listItems",
        security: [{ lambda: [] }],
        responses: { "200": { description: "ok" } },
        "x-amazon-apigateway-integration": {
          type: "mock",
          requestTemplates: { "application/json": '{"statusCode": 200}' },
          responses: { default: { statusCode: "200" } },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      lambda: {
        type: "apiKey",
        name: "Authorization",
        in: "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
          type: "token",
          authorizerUri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations",
        },
      },
    },
  },
};

describe("sandbox API Gateway fidelity: exports, read operations, quotas and propagation", () => {
  let sandbox: Sandbox;
  let apigw: APIGatewayClient;
  let aws: ReturnType<typeof awsCli>;
  let petsId: string;
  let extendedId: string;
  let versionlessId: string;

  const call = (apiId: string, p: string, key?: string) =>
    fetch(`${sandbox.url}/restapis/${apiId}/prod/_user_request_${p}`, { headers: key ? { "x-api-key": key } : {} }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    apigw = new APIGatewayClient(sdkConfig(sandbox));
    aws = awsCli(sandbox);
    await setBudget(sandbox, false);
    petsId = await importAndDeploy(apigw, catalogApi("pets.yaml"));
    extendedId = await importAndDeploy(apigw, Buffer.from(JSON.stringify(extended)));
    const versionless = { openapi: "3.0.1", info: { title: "Versionless" }, paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } } };
    versionlessId = await importAndDeploy(apigw, Buffer.from(JSON.stringify(versionless)));
  });
  afterAll(() => sandbox.stop());

  describe("GetExport as AWS answers it", () => {
    it("application/octet-stream with a JSON body, named after the export type and the API's version", async () => {
      // The SDK sends Accept: application/json when not told (as botocore does); AWS's recorded
      // answer to that is application/octet-stream.
      const oas = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "oas30" }));
      expect(oas.contentType).toBe("application/octet-stream");
      expect(oas.contentDisposition).toBe('attachment; filename="oas30_1.2.0.json"');
      expect(JSON.parse(Buffer.from(oas.body!).toString()).info).toMatchObject({ title: "Pets API", version: "1.2.0" });

      const swagger = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "swagger" }));
      expect(swagger.contentType).toBe("application/octet-stream");
      expect(swagger.contentDisposition).toBe('attachment; filename="swagger_1.2.0.json"');

      // The raw wire, with no Accept header at all, and with curl's */*.
      for (const accept of ["", "*/*"]) {
        const raw = await fetch(`${sandbox.url}/restapis/${petsId}/stages/prod/exports/oas30`, { headers: { accept } });
        expect(raw.headers.get("content-type")).toBe("application/octet-stream");
        expect(raw.headers.get("content-disposition")).toBe('attachment; filename="oas30_1.2.0.json"');
        expect((await raw.json()).openapi).toMatch(/^3\./);
      }
    });

    it("Accept application/json gives a JSON body, application/yaml a YAML one (and a .yaml name)", async () => {
      const json = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "swagger", accepts: "application/json" }));
      expect(json.contentType).toBe("application/octet-stream");
      expect(json.contentDisposition).toBe('attachment; filename="swagger_1.2.0.json"');
      expect(JSON.parse(Buffer.from(json.body!).toString()).swagger).toBe("2.0");

      const yaml = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "oas30", accepts: "application/yaml" }));
      expect(yaml.contentType).toBe("application/octet-stream");
      expect(yaml.contentDisposition).toBe('attachment; filename="oas30_1.2.0.yaml"');
      expect(Buffer.from(yaml.body!).toString().trimStart().startsWith("{")).toBe(false);
      expect(parseYaml(Buffer.from(yaml.body!).toString()).openapi).toMatch(/^3\./);
    });

    it("names an API without a version after its creation time, never after the stage", async () => {
      const api = await apigw.send(new GetRestApiCommand({ restApiId: versionlessId }));
      expect(api.version).toBeUndefined();
      const created = api.createdDate!.toISOString().replace(/\.\d{3}Z$/, "Z");
      const out = await apigw.send(new GetExportCommand({ restApiId: versionlessId, stageName: "prod", exportType: "swagger" }));
      expect(out.contentDisposition).toBe(`attachment; filename="swagger_${created}.json"`);
      expect(out.contentDisposition).not.toContain("prod");
    });

    it("takes the version as written: YAML's `version: 1.0` is 1.0 (not the number 1), in GetRestApi, the export and its name", async () => {
      const definition = (version: string) =>
        `openapi: 3.0.1\ninfo:\n  title: Versioned\n  version: ${version}\npaths:\n  /x:\n    get:\n      responses:\n        "200":\n          description: ok\n`;
      const exported = async (body: string) => {
        const id = await importAndDeploy(apigw, Buffer.from(body));
        const out = await apigw.send(new GetExportCommand({ restApiId: id, stageName: "prod", exportType: "oas30", accepts: "application/json" }));
        return {
          version: (await apigw.send(new GetRestApiCommand({ restApiId: id }))).version,
          disposition: out.contentDisposition,
          info: JSON.parse(Buffer.from(out.body!).toString()).info,
        };
      };
      expect(await exported(definition("1.0"))).toEqual({
        version: "1.0",
        disposition: 'attachment; filename="oas30_1.0.json"',
        info: { title: "Versioned", version: "1.0" },
      });
      expect(await exported(definition("2"))).toMatchObject({ version: "2", disposition: 'attachment; filename="oas30_2.json"' });
      expect(await exported(definition('"3.10"'))).toMatchObject({ version: "3.10", disposition: 'attachment; filename="oas30_3.10.json"' });
      // JSON bodies too: `"version": 1.10` is 1.10.
      const json = `{"openapi": "3.0.1", "info": {"title": "Versioned", "version": 1.10}, "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}`;
      expect(await exported(json)).toMatchObject({ version: "1.10", disposition: 'attachment; filename="oas30_1.10.json"' });
      // Swagger 2.0 definitions are converted after the version is read.
      const swagger = `swagger: "2.0"\ninfo:\n  title: Versioned\n  version: 4.0\npaths:\n  /x:\n    get:\n      responses:\n        "200":\n          description: ok\n`;
      expect(await exported(swagger)).toMatchObject({ version: "4.0", disposition: 'attachment; filename="oas30_4.0.json"' });
    });

    it("keeps the file name safe whatever the version holds: quotes, line breaks, spaces, slashes and non-ASCII become _", async () => {
      for (const [version, name] of [
        ['1.0 "beta"', "1.0__beta_"],
        ["1.0\r\nX-Injected: yes", "1.0__X-Injected__yes"],
        ["../../etc/passwd", ".._.._etc_passwd"],
        ["v2;filename=evil.sh", "v2_filename_evil.sh"],
        ["2024.1-rc_1", "2024.1-rc_1"],
        ["version é", "version__"],
      ]) {
        const body = Buffer.from(
          JSON.stringify({
            openapi: "3.0.1",
            info: { title: "Odd version", version },
            paths: { "/x": { get: { responses: { "200": { description: "ok" } } } } },
          }),
        );
        const id = await importAndDeploy(apigw, body);
        for (const exportType of ["oas30", "swagger"] as const) {
          const raw = await fetch(`${sandbox.url}/restapis/${id}/stages/prod/exports/${exportType}`);
          expect(raw.status).toBe(200);
          expect(raw.headers.get("content-disposition")).toBe(`attachment; filename="${exportType}_${name}.json"`);
          // The body keeps the version as it is.
          expect((await raw.json()).info.version).toBe(version);
        }
        const out = await apigw.send(new GetExportCommand({ restApiId: id, stageName: "prod", exportType: "oas30", accepts: "application/yaml" }));
        expect(out.contentDisposition).toBe(`attachment; filename="oas30_${name}.yaml"`);
      }
    });

    it("the Swagger export's host, basePath and schemes are the sandbox's plain-http invoke URL, so a Swagger UI can call it", async () => {
      const out = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "swagger", accepts: "application/json" }));
      const doc = JSON.parse(Buffer.from(out.body!).toString());
      expect(doc.schemes).toEqual(["http"]);
      expect(doc.host).toBe(new URL(sandbox.url).host);
      expect(doc.basePath).toBe(`/restapis/${petsId}/prod/_user_request_`);
      // What a Swagger UI would call: scheme://host + basePath + path.
      const health = await fetch(`${doc.schemes[0]}://${doc.host}${doc.basePath}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      // A keyed method answers 403 Forbidden (not "Missing Authentication Token"): the route is right.
      const pets = await fetch(`${doc.schemes[0]}://${doc.host}${doc.basePath}/pets`);
      expect(pets.status).toBe(403);
      expect(await pets.json()).toEqual({ message: "Forbidden" });
    });

    it("the OpenAPI 3 export's servers resolve to the same callable http URL", async () => {
      const out = await apigw.send(new GetExportCommand({ restApiId: petsId, stageName: "prod", exportType: "oas30", accepts: "application/json" }));
      const [server] = JSON.parse(Buffer.from(out.body!).toString()).servers;
      expect(server.variables.basePath.default).toBe("prod");
      const url = server.url.replace("{basePath}", server.variables.basePath.default);
      expect(url).toBe(`${sandbox.url}/restapis/${petsId}/prod/_user_request_`);
      expect(url.startsWith("http://")).toBe(true);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    });

    it("accepts every documented extensions value and exports only the extensions asked for", async () => {
      const exportWith = async (exportType: "oas30" | "swagger", extensions?: string) => {
        const out = await apigw.send(
          new GetExportCommand({
            restApiId: extendedId,
            stageName: "prod",
            exportType,
            accepts: "application/json",
            ...(extensions ? { parameters: { extensions } } : {}),
          }),
        );
        return Buffer.from(out.body!).toString();
      };
      for (const exportType of ["oas30", "swagger"] as const) {
        expect(await exportWith(exportType)).not.toContain("x-amazon-apigateway");
        for (const extensions of ["integrations", "apigateway"]) {
          const text = await exportWith(exportType, extensions);
          expect(text).toContain("x-amazon-apigateway-integration");
          expect(text).toContain("x-amazon-apigateway-authorizer");
          expect(text).toContain("x-amazon-apigateway-binary-media-types");
        }
        const authorizers = await exportWith(exportType, "authorizers");
        expect(authorizers).toContain("x-amazon-apigateway-authorizer");
        expect(authorizers).not.toContain("x-amazon-apigateway-integration");
        // Postman extensions are accepted (the sandbox adds none).
        expect(await exportWith(exportType, "postman")).not.toContain("x-amazon-apigateway");
        expect(await exportWith(exportType, "integrations,authorizers")).toContain("x-amazon-apigateway-integration");
      }
    });

    it("through the AWS CLI: octet-stream by default, YAML when asked, extensions accepted", async () => {
      const dir = sandbox.context.stateDir;
      const plain = await aws(
        "apigateway",
        "get-export",
        "--rest-api-id",
        petsId,
        "--stage-name",
        "prod",
        "--export-type",
        "swagger",
        path.join(dir, "swagger.json"),
      );
      expect(plain).toEqual({ contentType: "application/octet-stream", contentDisposition: 'attachment; filename="swagger_1.2.0.json"' });
      const doc = JSON.parse(readFileSync(path.join(dir, "swagger.json"), "utf8"));
      expect(doc).toMatchObject({ swagger: "2.0", schemes: ["http"], host: new URL(sandbox.url).host });

      const yaml = await aws(
        "apigateway",
        "get-export",
        "--rest-api-id",
        petsId,
        "--stage-name",
        "prod",
        "--export-type",
        "oas30",
        "--accepts",
        "application/yaml",
        path.join(dir, "oas30.yaml"),
      );
      expect(yaml).toEqual({ contentType: "application/octet-stream", contentDisposition: 'attachment; filename="oas30_1.2.0.yaml"' });
      expect(parseYaml(readFileSync(path.join(dir, "oas30.yaml"), "utf8")).info.title).toBe("Pets API");

      for (const extensions of ["integrations", "apigateway", "authorizers", "postman"]) {
        const out = await aws(
          "apigateway",
          "get-export",
          "--rest-api-id",
          extendedId,
          "--stage-name",
          "prod",
          "--export-type",
          "swagger",
          "--parameters",
          `extensions=${extensions}`,
          path.join(dir, `${extensions}.json`),
        );
        expect(out.contentDisposition).toBe('attachment; filename="swagger_3.1.4.json"');
        expect(readFileSync(path.join(dir, `${extensions}.json`), "utf8").includes("x-amazon-apigateway-integration")).toBe(
          extensions === "integrations" || extensions === "apigateway",
        );
      }
    });

    it("GetSdk names its zip as AWS does: <type>_<date>_<time>Z.zip", async () => {
      const sdk = await apigw.send(new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: "javascript" }));
      expect(sdk.contentType).toBe("application/octet-stream");
      expect(sdk.contentDisposition).toMatch(/^attachment; filename="javascript_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}Z\.zip"$/);
    });
  });

  describe("GetSdkTypes and GetSdkType", () => {
    it("lists the six SDK types with their configuration properties, on the wire under `item`", async () => {
      const { items } = await apigw.send(new GetSdkTypesCommand({}));
      expect(items?.map((t) => t.id)).toEqual(["javascript", "android", "objectivec", "swift", "java", "ruby"]);
      const required = Object.fromEntries(items!.map((t) => [t.id, (t.configurationProperties ?? []).filter((p) => p.required).map((p) => p.name)]));
      expect(required).toEqual({
        javascript: [],
        android: ["groupId", "invokerPackage", "artifactId", "artifactVersion"],
        objectivec: ["classPrefix"],
        swift: ["classPrefix"],
        java: ["serviceName", "javaPackageName"],
        ruby: ["service.name"],
      });
      for (const type of items!) {
        expect(type.friendlyName).toBeTruthy();
        expect(type.description).toBeTruthy();
        for (const p of type.configurationProperties ?? [])
          expect(p).toMatchObject({ name: expect.any(String), friendlyName: expect.any(String), required: expect.any(Boolean) });
      }
      const raw = await (await fetch(`${sandbox.url}/sdktypes`)).json();
      expect(raw.item).toHaveLength(6);
      // limit and position are in the request's model (the SDK's response model has no position).
      expect(await apigw.send(new GetSdkTypesCommand({ limit: 4 }))).toMatchObject({ items: { length: 4 } });
      const page = await (await fetch(`${sandbox.url}/sdktypes?limit=4`)).json();
      const rest = await (await fetch(`${sandbox.url}/sdktypes?limit=4&position=${page.position}`)).json();
      expect(rest.item.map((t: { id: string }) => t.id)).toEqual(["java", "ruby"]);
    });

    it("GetSdk requires exactly the properties GetSdkTypes marks required", async () => {
      const { items } = await apigw.send(new GetSdkTypesCommand({}));
      for (const type of items!) {
        const requiredNames = (type.configurationProperties ?? []).filter((p) => p.required).map((p) => p.name!);
        const parameters = Object.fromEntries(requiredNames.map((name) => [name, "x"]));
        const sdk = await apigw.send(new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: type.id!, parameters }));
        expect(sdk.body?.byteLength).toBeGreaterThan(0);
        for (const missing of requiredNames) {
          const { [missing]: _dropped, ...rest } = parameters;
          await expect(apigw.send(new GetSdkCommand({ restApiId: petsId, stageName: "prod", sdkType: type.id!, parameters: rest }))).rejects.toMatchObject({
            name: "BadRequestException",
            message: expect.stringContaining(missing),
          });
        }
      }
    });

    it("gets one type, and answers an unknown one with NotFoundException", async () => {
      const java = await apigw.send(new GetSdkTypeCommand({ id: "java" }));
      expect(java).toMatchObject({ id: "java", friendlyName: "Java" });
      expect(java.configurationProperties?.find((p) => p.name === "javaPackageName")).toMatchObject({ required: true });
      expect(java.configurationProperties?.find((p) => p.name === "javaBuildSystem")).toMatchObject({ required: false });
      await expect(apigw.send(new GetSdkTypeCommand({ id: "cobol" }))).rejects.toMatchObject({ name: "NotFoundException", $metadata: { httpStatusCode: 404 } });
    });

    it("through the AWS CLI", async () => {
      const types = await aws("apigateway", "get-sdk-types");
      expect(types.items.map((t: { id: string }) => t.id)).toEqual(["javascript", "android", "objectivec", "swift", "java", "ruby"]);
      const swift = await aws("apigateway", "get-sdk-type", "--id", "swift");
      expect(swift.configurationProperties).toEqual([expect.objectContaining({ name: "classPrefix", required: true })]);
    });
  });

  describe("GetResources and GetResource", () => {
    it("builds the resource tree from the API's definition: ids, parentId, pathPart, path, resourceMethods", async () => {
      const { items } = await apigw.send(new GetResourcesCommand({ restApiId: petsId }));
      expect(items?.map((r) => r.path)).toEqual(["/", "/health", "/pets", "/pets/{petId}"]);
      const byPath = Object.fromEntries(items!.map((r) => [r.path!, r]));
      const root = byPath["/"]!;
      expect(root.id).toBe((await apigw.send(new GetRestApiCommand({ restApiId: petsId }))).rootResourceId);
      expect(root.parentId).toBeUndefined();
      expect(root.pathPart).toBeUndefined();
      expect(root.resourceMethods).toBeUndefined();
      expect(byPath["/pets"]).toMatchObject({ parentId: root.id, pathPart: "pets", resourceMethods: { GET: {}, POST: {} } });
      expect(byPath["/pets/{petId}"]).toMatchObject({ parentId: byPath["/pets"]!.id, pathPart: "{petId}", resourceMethods: { GET: {} } });
      expect(new Set(items!.map((r) => r.id)).size).toBe(4);
      // Stable ids: asking again gives the same tree.
      expect((await apigw.send(new GetResourcesCommand({ restApiId: petsId }))).items).toEqual(items);
    });

    it("with embed=methods, each method as GetMethod would answer it", async () => {
      const { items } = await apigw.send(new GetResourcesCommand({ restApiId: petsId, embed: ["methods"] }));
      const byPath = Object.fromEntries(items!.map((r) => [r.path!, r]));
      expect(byPath["/pets"]!.resourceMethods!.GET).toMatchObject({
        httpMethod: "GET",
        authorizationType: "NONE",
        apiKeyRequired: true,
        operationName: "listPets",
        requestParameters: { "method.request.querystring.limit": false, "method.request.querystring.type": false },
        methodResponses: { "200": { statusCode: "200" } },
      });
      expect(byPath["/pets"]!.resourceMethods!.POST).toMatchObject({
        requestModels: { "application/json": "NewPet" },
        methodResponses: { "201": { responseModels: { "application/json": "Pet" } } },
      });
      expect(byPath["/pets/{petId}"]!.resourceMethods!.GET).toMatchObject({ requestParameters: { "method.request.path.petId": true } });
      expect(byPath["/health"]!.resourceMethods!.GET).toMatchObject({ apiKeyRequired: false });
      // An API Gateway integration and a Lambda authorizer in the definition show up too.
      const extendedItems = (await apigw.send(new GetResourcesCommand({ restApiId: extendedId, embed: ["methods"] }))).items!;
      expect(extendedItems.find((r) => r.path === "/items")!.resourceMethods!.GET).toMatchObject({
        authorizationType: "CUSTOM",
        methodIntegration: { type: "MOCK", passthroughBehavior: "WHEN_NO_MATCH", integrationResponses: { "200": { statusCode: "200" } } },
      });
    });

    it("pages with limit and position, and travels under `item`", async () => {
      const first = await apigw.send(new GetResourcesCommand({ restApiId: petsId, limit: 3 }));
      expect(first.items).toHaveLength(3);
      const second = await apigw.send(new GetResourcesCommand({ restApiId: petsId, limit: 3, position: first.position }));
      expect(second.items?.map((r) => r.path)).toEqual(["/pets/{petId}"]);
      expect(second.position).toBeUndefined();
      const raw = await (await fetch(`${sandbox.url}/restapis/${petsId}/resources?embed=methods`)).json();
      expect(raw.item.map((r: { path: string }) => r.path)).toContain("/pets");
      expect(raw.item.find((r: { path: string }) => r.path === "/pets").resourceMethods.GET.httpMethod).toBe("GET");
    });

    it("gets one resource, and answers unknown ones with NotFoundException", async () => {
      const { items } = await apigw.send(new GetResourcesCommand({ restApiId: petsId }));
      const pet = items!.find((r) => r.path === "/pets/{petId}")!;
      expect(await apigw.send(new GetResourceCommand({ restApiId: petsId, resourceId: pet.id! }))).toMatchObject({
        id: pet.id,
        parentId: pet.parentId,
        pathPart: "{petId}",
        path: "/pets/{petId}",
        resourceMethods: { GET: {} },
      });
      const embedded = await apigw.send(new GetResourceCommand({ restApiId: petsId, resourceId: pet.id!, embed: ["methods"] }));
      expect(embedded.resourceMethods?.GET).toMatchObject({ httpMethod: "GET", operationName: "getPet" });
      await expect(apigw.send(new GetResourceCommand({ restApiId: petsId, resourceId: "nope00" }))).rejects.toMatchObject({ name: "NotFoundException" });
      await expect(apigw.send(new GetResourcesCommand({ restApiId: "nope" }))).rejects.toMatchObject({ name: "NotFoundException" });
    });

    it("through the AWS CLI", async () => {
      const resources = await aws("apigateway", "get-resources", "--rest-api-id", petsId, "--embed", "methods");
      const pets = resources.items.find((r: { path: string }) => r.path === "/pets");
      expect(pets.resourceMethods.GET).toMatchObject({ httpMethod: "GET", apiKeyRequired: true });
      const one = await aws("apigateway", "get-resource", "--rest-api-id", petsId, "--resource-id", pets.id);
      expect(one).toMatchObject({ id: pets.id, path: "/pets", pathPart: "pets", resourceMethods: { GET: {}, POST: {} } });
    });
  });

  describe("GetAccount", () => {
    it("answers the account's throttle, features and key version, with no CloudWatch role", async () => {
      const account = await apigw.send(new GetAccountCommand({}));
      expect(account).toMatchObject({ throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ["UsagePlans"], apiKeyVersion: "4" });
      expect(account.cloudwatchRoleArn).toBeUndefined();
      const raw = await (await fetch(`${sandbox.url}/account`)).json();
      expect(raw).toEqual({ throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ["UsagePlans"], apiKeyVersion: "4" });
      expect(await aws("apigateway", "get-account")).toEqual(raw);
    });
  });

  describe("per-operation control-plane quotas", () => {
    // A sandbox of their own whose API Gateway clock moves only when told: each refusal and refill
    // below happens at a known instant, however slow the machine is.
    const clock = new ManualClock();
    let budgeted: Sandbox;
    let client: APIGatewayClient;
    let budgetedPetsId: string;

    beforeAll(async () => {
      budgeted = await startTestSandbox({ apiGatewayClock: clock.now });
      client = new APIGatewayClient(sdkConfig(budgeted));
      await setBudget(budgeted, false);
      budgetedPetsId = await importAndDeploy(client, catalogApi("pets.yaml"));
    });
    afterAll(() => budgeted.stop());

    it("the table is AWS's: every REST API operation listed with its quota", () => {
      const every = (seconds: number) => ({ rate: 1 / seconds, burst: 1 });
      expect(OPERATION_LIMITS).toEqual({
        CreateApiKey: { rate: 5, burst: 5 },
        CreateDeployment: every(5),
        CreateDocumentationVersion: every(20),
        CreateDomainName: every(30),
        CreateResource: { rate: 5, burst: 5 },
        CreateRestApi: every(3),
        DeleteApiKey: { rate: 5, burst: 5 },
        DeleteDomainName: every(30),
        DeleteResource: { rate: 5, burst: 5 },
        DeleteRestApi: every(30),
        GetResources: { rate: 2.5, burst: 5 },
        ImportDocumentationParts: every(30),
        ImportRestApi: every(3),
        PutRestApi: { rate: 1, burst: 1 },
        UpdateAccount: every(20),
        UpdateDomainName: every(30),
        UpdateUsagePlan: every(20),
      });
    });

    it("ImportRestApi 1 per 3 s, CreateDeployment 1 per 5 s, PutRestApi 1 per s, DeleteRestApi 1 per 30 s, GetResources 5 per 2 s", async () => {
      const spare: string[] = [];
      for (let i = 0; i < 2; i++) spare.push((await client.send(new ImportRestApiCommand({ body: catalogApi("weather.yaml") }))).id!);
      await setBudget(budgeted, true);
      try {
        const refused = async (send: () => Promise<unknown>, retryAfter: string) => {
          const error = await send().then(
            () => undefined,
            (e: { name: string; $metadata: { httpStatusCode: number }; $response?: { headers: Record<string, string> } }) => e,
          );
          expect(error).toMatchObject({ name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } });
          expect(error!.$response?.headers["retry-after"]).toBe(retryAfter);
        };
        /** The operation is refused until `periodMs` after the call it allowed, and allowed again then. */
        const refusedFor = async (periodMs: number, send: () => Promise<unknown>) => {
          await refused(send, String(periodMs / 1000));
          clock.advance(periodMs - 1);
          await refused(send, "1");
          clock.advance(1);
          await send();
        };
        const body = catalogApi("weather.yaml");
        const imported = await client.send(new ImportRestApiCommand({ body }));
        await refusedFor(3000, () => client.send(new ImportRestApiCommand({ body })));

        await client.send(new CreateDeploymentCommand({ restApiId: imported.id!, stageName: "one" }));
        await refusedFor(5000, () => client.send(new CreateDeploymentCommand({ restApiId: imported.id!, stageName: "two" })));

        await client.send(new PutRestApiCommand({ restApiId: imported.id!, body }));
        await refusedFor(1000, () => client.send(new PutRestApiCommand({ restApiId: imported.id!, body })));

        await client.send(new DeleteRestApiCommand({ restApiId: spare[0]! }));
        await refusedFor(30_000, () => client.send(new DeleteRestApiCommand({ restApiId: spare[1]! })));

        // A burst of 5, then one more every 0.4 s.
        for (let i = 0; i < 5; i++) await client.send(new GetResourcesCommand({ restApiId: budgetedPetsId }));
        await refused(() => client.send(new GetResourcesCommand({ restApiId: budgetedPetsId })), "1");
        clock.advance(399);
        await refused(() => client.send(new GetResourcesCommand({ restApiId: budgetedPetsId })), "1");
        clock.advance(1);
        await client.send(new GetResourcesCommand({ restApiId: budgetedPetsId }));
        await refused(() => client.send(new GetResourcesCommand({ restApiId: budgetedPetsId })), "1");

        // Operations without a quota of their own still go through.
        expect((await client.send(new GetRestApisCommand({}))).items?.length).toBeGreaterThan(0);
        const { calls, throttled } = await (await fetch(`${budgeted.url}/_sandbox/apigateway/calls`)).json();
        expect(throttled).toBe(11);
        expect(calls).toMatchObject({ ImportRestApi: 4, CreateDeployment: 4, PutRestApi: 4, DeleteRestApi: 4, GetResources: 9 });
      } finally {
        await setBudget(budgeted, false);
      }
    });

    it("the AWS CLI sees TooManyRequestsException on a second CreateDeployment within 5 s", async () => {
      const once = awsCli(budgeted, { attempts: 1 });
      await setBudget(budgeted, true);
      try {
        await once("apigateway", "create-deployment", "--rest-api-id", budgetedPetsId, "--stage-name", "cli-one");
        clock.advance(4999);
        await expect(once("apigateway", "create-deployment", "--rest-api-id", budgetedPetsId, "--stage-name", "cli-two")).rejects.toMatchObject({
          stderr: expect.stringContaining("TooManyRequestsException"),
        });
        clock.advance(1);
        await once("apigateway", "create-deployment", "--rest-api-id", budgetedPetsId, "--stage-name", "cli-two");
      } finally {
        await setBudget(budgeted, false);
      }
    });
  });

  describe("propagation of key and plan changes to the data plane", () => {
    const setDelay = (delayMs: number) =>
      fetch(`${sandbox.url}/_sandbox/apigateway/propagation`, { method: "PUT", body: JSON.stringify({ delayMs }) }).then((r) => r.json());
    /** Polls until the data plane answers `status`; returns how long that took. */
    const until = async (apiId: string, p: string, key: string, status: number, withinMs = 8000) => {
      const started = Date.now();
      while (Date.now() - started < withinMs) {
        if ((await call(apiId, p, key)) === status) return Date.now() - started;
        await sleep(50);
      }
      throw new Error(`the data plane did not answer ${status} within ${withinMs} ms`);
    };
    let planId: string;

    beforeAll(async () => {
      planId = (await apigw.send(new CreateUsagePlanCommand({ name: "Propagation", apiStages: [{ apiId: petsId, stage: "prod" }] }))).id!;
    });

    it("without the setting, key and plan changes reach the data plane at once", async () => {
      expect(await (await fetch(`${sandbox.url}/_sandbox/apigateway/propagation`)).json()).toEqual({ delayMs: 0, pending: 0 });
      const key = await apigw.send(new CreateApiKeyCommand({ name: "instant", enabled: true }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id!, keyType: "API_KEY" }));
      expect(await call(petsId, "/pets", key.value!)).toBe(200);
      await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] }));
      expect(await call(petsId, "/pets", key.value!)).toBe(403);
    });

    it("with a delay, a new key is refused (403) right after creation and accepted once the delay has passed", async () => {
      expect(await setDelay(1500)).toEqual({ delayMs: 1500, pending: 0 });
      try {
        const key = await apigw.send(new CreateApiKeyCommand({ name: "propagating", enabled: true }));
        await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id!, keyType: "API_KEY" }));
        const created = Date.now();
        expect(await call(petsId, "/pets", key.value!)).toBe(403);
        expect((await (await fetch(`${sandbox.url}/_sandbox/apigateway/propagation`)).json()).pending).toBe(2);
        await until(petsId, "/pets", key.value!, 200);
        expect(Date.now() - created).toBeGreaterThanOrEqual(1300);

        // Disabling: the key keeps working until the change arrives.
        await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] }));
        expect(await call(petsId, "/pets", key.value!)).toBe(200);
        expect(await until(petsId, "/pets", key.value!, 403)).toBeGreaterThanOrEqual(1000);
        // Enabling again.
        await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "replace", path: "/enabled", value: "true" }] }));
        expect(await call(petsId, "/pets", key.value!)).toBe(403);
        await until(petsId, "/pets", key.value!, 200);
        // Taking it out of the plan, then deleting another key.
        await apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id! }));
        expect(await call(petsId, "/pets", key.value!)).toBe(200);
        await until(petsId, "/pets", key.value!, 403);
      } finally {
        await setDelay(0);
      }
    }, 30_000);

    it("with a delay, deleting a key and changing a plan's quota and throttle take effect late too", async () => {
      const limited = await apigw.send(
        new CreateUsagePlanCommand({ name: "Quota 1", apiStages: [{ apiId: petsId, stage: "prod" }], quota: { limit: 1, period: "DAY", offset: 0 } }),
      );
      const key = await apigw.send(new CreateApiKeyCommand({ name: "quota", enabled: true }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: limited.id!, keyId: key.id!, keyType: "API_KEY" }));
      expect(await call(petsId, "/pets", key.value!)).toBe(200);
      expect(await call(petsId, "/pets", key.value!)).toBe(429);

      await setDelay(1200);
      try {
        await apigw.send(new UpdateUsagePlanCommand({ usagePlanId: limited.id!, patchOperations: [{ op: "replace", path: "/quota/limit", value: "100" }] }));
        expect(await call(petsId, "/pets", key.value!)).toBe(429);
        await until(petsId, "/pets", key.value!, 200);

        await apigw.send(
          new UpdateUsagePlanCommand({
            usagePlanId: limited.id!,
            patchOperations: [
              { op: "replace", path: "/throttle/rateLimit", value: "0.001" },
              { op: "replace", path: "/throttle/burstLimit", value: "1" },
            ],
          }),
        );
        expect(await call(petsId, "/pets", key.value!)).toBe(200);
        expect(await call(petsId, "/pets", key.value!)).toBe(200);
        await until(petsId, "/pets", key.value!, 429);

        await apigw.send(new DeleteApiKeyCommand({ apiKey: key.id! }));
        expect(await call(petsId, "/pets", key.value!)).toBe(429);
        await until(petsId, "/pets", key.value!, 403);
      } finally {
        await setDelay(0);
      }
    }, 30_000);

    it("going back to 0 applies pending changes at once; bad settings are refused", async () => {
      await setDelay(60_000);
      const key = await apigw.send(new CreateApiKeyCommand({ name: "flushed", enabled: true }));
      await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: key.id!, keyType: "API_KEY" }));
      expect(await call(petsId, "/pets", key.value!)).toBe(403);
      expect(await setDelay(0)).toEqual({ delayMs: 0, pending: 0 });
      expect(await call(petsId, "/pets", key.value!)).toBe(200);
      const bad = await fetch(`${sandbox.url}/_sandbox/apigateway/propagation`, { method: "PUT", body: JSON.stringify({ delayMs: -1 }) });
      expect(bad.status).toBe(400);
    });

    it("SANDBOX_PROPAGATION_MS at start, with keys made through the AWS CLI", async () => {
      // The sandbox's API Gateway clock moves only when told, so the CLI's own start-up time (a
      // Python process a call) cannot use up the delay before the first request is made.
      const clock = new ManualClock();
      const previous = process.env.SANDBOX_PROPAGATION_MS;
      process.env.SANDBOX_PROPAGATION_MS = "60000";
      let delayed: Sandbox | undefined;
      try {
        delayed = await startTestSandbox({ apiGatewayClock: clock.now });
      } finally {
        if (previous === undefined) delete process.env.SANDBOX_PROPAGATION_MS;
        else process.env.SANDBOX_PROPAGATION_MS = previous;
      }
      try {
        expect(await (await fetch(`${delayed.url}/_sandbox/apigateway/propagation`)).json()).toMatchObject({ delayMs: 60_000 });
        await setBudget(delayed, false);
        const awsDelayed = awsCli(delayed);
        const api = await awsDelayed("apigateway", "import-rest-api", "--body", `fileb://${path.resolve(import.meta.dirname, "../../catalog/apis/pets.yaml")}`);
        await awsDelayed("apigateway", "create-deployment", "--rest-api-id", api.id, "--stage-name", "prod");
        const plan = await awsDelayed("apigateway", "create-usage-plan", "--name", "CLI", "--api-stages", `apiId=${api.id},stage=prod`);
        const key = await awsDelayed("apigateway", "create-api-key", "--name", "cli-key", "--enabled");
        await awsDelayed("apigateway", "create-usage-plan-key", "--usage-plan-id", plan.id, "--key-id", key.id, "--key-type", "API_KEY");
        const keyed = () => fetch(`${delayed!.url}/restapis/${api.id}/prod/_user_request_/pets`, { headers: { "x-api-key": key.value } }).then((r) => r.status);
        expect(await keyed()).toBe(403);
        clock.advance(59_999);
        expect(await keyed()).toBe(403);
        clock.advance(1);
        expect(await keyed()).toBe(200);
      } finally {
        await delayed.stop();
      }
    }, 60_000);
  });
});
