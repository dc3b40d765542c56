import type { ControlRequest, ControlResponse } from "./control-plane";
import { badRequest, notFound } from "./errors";
import { definitionVersion, exportDefinition, type Operation } from "./openapi";
import { listPage } from "./paging";
import { resourceToWire, resourceTree } from "./resources";
import type { Router } from "./router";
import { generateSdk, sdkType, SDK_TYPES } from "./sdk";
import type { ApiGatewayState, RestApi, Stage } from "./state";

type Handler = (req: ControlRequest) => ControlResponse | Promise<ControlResponse>;

export interface ReadOperationsDeps {
  state: ApiGatewayState;
  /** Base URL clients call a stage at (AWS: https://{id}.execute-api.{region}.amazonaws.com/{stage}). */
  invokeUrl: (apiId: string, stage: string) => string;
  /** The compiled methods of a stage's deployment (ControlPlane.operationsFor). */
  operationsFor: (stage: Stage) => Operation[];
  /** The control plane's lookups, which throw AWS's NotFoundException. */
  restApi: (id: string) => RestApi;
  stage: (apiId: string, stageName: string) => Stage;
}

/**
 * GetAccount: the account's settings as AWS reports them for a new account in most Regions —
 * the account-level throttle of 10,000 requests/s with a burst of 5,000 (API Gateway quotas),
 * usage plans on, API key version 4, and no CloudWatch role (so no `cloudwatchRoleArn`).
 */
export const ACCOUNT = { throttleSettings: { burstLimit: 5000, rateLimit: 10000 }, features: ["UsagePlans"], apiKeyVersion: "4" } as const;

/** `embed` is a list on the wire: `?embed=methods`, repeated or comma-separated. */
const embedsMethods = (query: URLSearchParams) => query.getAll("embed").some((value) => value.split(",").includes("methods"));

/** Epoch seconds → `2016-02-22T23:52:00Z`, the form AWS gives an API without a version. */
const isoSeconds = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** GetSdk's file name form, from the AWS CLI reference's example: `javascript_2016-02-22_23-52Z.zip`. */
const sdkStamp = (date: Date) => date.toISOString().slice(0, 16).replace("T", "_").replace(":", "-");

/**
 * An API's version as a piece of a Content-Disposition file name. What AWS does with characters
 * outside a plain version is not documented; a quote or a line break would break the header, so
 * anything but letters, digits, `.`, `_` and `-` becomes `_` (`1.0 "beta"` → `1.0__beta_`).
 */
const fileNamePart = (version: string) => version.replace(/[^A-Za-z0-9._-]/gu, "_");

/**
 * The read operations around a REST API's stages and resources, and the account: GetExport,
 * GetSdk, GetSdkTypes, GetSdkType, GetResources, GetResource, GetAccount.
 */
export function registerReadOperations(router: Router<Handler>, deps: ReadOperationsDeps): void {
  const { state, restApi, stage: stageOf } = deps;

  router.add("GET", "/restapis/{restApiId}/stages/{stageName}/exports/{exportType}", "GetExport", (q) => {
    const stage = stageOf(q.params.restApiId!, q.params.stageName!);
    const api = restApi(stage.apiId);
    const exportType = q.params.exportType;
    if (exportType !== "oas30" && exportType !== "swagger") throw badRequest(`Invalid export type '${exportType}': expected oas30 or swagger`);
    // Accept picks the body's format: YAML for application/yaml, JSON otherwise (application/json
    // is what the AWS SDKs and CLI send when not told; curl and browsers send */*).
    const accept = q.accept?.toLowerCase().trim() || "*/*";
    const yaml = accept.includes("yaml");
    if (!yaml && !accept.includes("json") && !accept.includes("*/*"))
      throw badRequest(`Unsupported Accept '${accept}': use application/json or application/yaml`);
    const deployment = state.deployments.get(stage.deploymentId);
    if (!deployment) throw notFound("Invalid deployment identifier specified");
    const body = exportDefinition(deployment.spec, {
      exportType,
      serverUrl: deps.invokeUrl(stage.apiId, "{basePath}"),
      stage: stage.stageName,
      invokeUrl: deps.invokeUrl(stage.apiId, stage.stageName),
      extensions: (q.query.get("extensions") ?? "")
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean),
      yaml,
    });
    // The file is named after the export type and the API's version, or its creation time when it
    // has none (AWS: `swagger_1.0.0.json`, `oas30_1.0.0.json`) — not after the stage.
    const version = definitionVersion(deployment.spec) ?? api.version;
    // String(): state saved before versions were kept as written may hold a number.
    const name = version ? fileNamePart(String(version)) : isoSeconds(api.createdDate);
    // The type is application/octet-stream whatever the Accept: that is what AWS answered botocore's
    // default Accept: application/json in responses recorded from AWS (LocalStack's validated
    // snapshots of GetExport). The API reference says it "will correspond to a valid 'accept' type";
    // for application/yaml no recorded answer was found, so the sandbox keeps octet-stream there too.
    return {
      status: 200,
      raw: { body, contentType: "application/octet-stream", disposition: `attachment; filename="${exportType}_${name}.${yaml ? "yaml" : "json"}"` },
    };
  });

  router.add("GET", "/restapis/{restApiId}/stages/{stageName}/sdks/{sdkType}", "GetSdk", (q) => {
    const stage = stageOf(q.params.restApiId!, q.params.stageName!);
    const api = restApi(stage.apiId);
    const zip = generateSdk(
      q.params.sdkType!,
      Object.fromEntries(q.query),
      { id: api.id, name: api.name, stage: stage.stageName, invokeUrl: deps.invokeUrl(api.id, stage.stageName) },
      deps.operationsFor(stage),
    );
    return {
      status: 200,
      raw: { body: zip, contentType: "application/octet-stream", disposition: `attachment; filename="${q.params.sdkType}_${sdkStamp(new Date())}Z.zip"` },
    };
  });

  router.add("GET", "/sdktypes", "GetSdkTypes", (q) => ({ status: 200, json: listPage([...SDK_TYPES], q.query) }));
  router.add("GET", "/sdktypes/{sdkTypeId}", "GetSdkType", (q) => {
    const type = sdkType(q.params.sdkTypeId!);
    if (!type) throw notFound("Invalid SDK type identifier specified");
    return { status: 200, json: type };
  });

  router.add("GET", "/restapis/{restApiId}/resources", "GetResources", (q) => {
    const api = restApi(q.params.restApiId!);
    const embed = embedsMethods(q.query);
    return {
      status: 200,
      json: listPage(
        resourceTree(api).map((r) => resourceToWire(api, r, embed)),
        q.query,
      ),
    };
  });
  router.add("GET", "/restapis/{restApiId}/resources/{resourceId}", "GetResource", (q) => {
    const api = restApi(q.params.restApiId!);
    const resource = resourceTree(api).find((r) => r.id === q.params.resourceId);
    if (!resource) throw notFound("Invalid Resource identifier specified");
    return { status: 200, json: resourceToWire(api, resource, embedsMethods(q.query)) };
  });

  router.add("GET", "/account", "GetAccount", () => ({ status: 200, json: ACCOUNT }));
}
