import { z } from "zod";
import { SANDBOX_REGION } from "../context";
import { badRequest, conflict, limitExceeded, notFound } from "./errors";
import { parseApiKeyFile, parseJavaBoolean } from "./key-import";
import { listPage } from "./paging";
import { compileOperations, definitionVersion, importDefinition, type Operation } from "./openapi";
import { daysBetween, periodStart } from "./quota";
import { registerReadOperations } from "./read-operations";
import { rootResourceId } from "./resources";
import { Router } from "./router";
import { checkTags, parseResourceArn, wireTags, type TaggedResource } from "./tags";
import {
  epochSeconds,
  newId,
  newKeyValue,
  stageKey,
  type ApiGatewayState,
  type ApiKey,
  type ApiStage,
  type QuotaSettings,
  type RestApi,
  type Stage,
  type UsagePlan,
} from "./state";

/** Limits the portal depends on (AWS-FACTS.md). */
export const LIMITS = { apiKeysPerAccount: 10_000, usagePlansPerKey: 10, usagePlansPerAccount: 300 } as const;

export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  accept?: string;
}
export interface ControlResponse {
  status: number;
  json?: unknown;
  raw?: { body: string | Uint8Array; contentType: string; disposition: string };
}
type Handler = (req: ControlRequest) => ControlResponse | Promise<ControlResponse>;

// ---------- input parsing ----------

function parseJson<T extends z.ZodType>(schema: T, body: Buffer): z.infer<T> {
  let value: unknown = {};
  if (body.length) {
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("Could not parse request body into json: Unexpected character");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`Invalid request input: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data;
}

const tags = z.record(z.string(), z.string()).optional();
const throttleSchema = z.object({ burstLimit: z.number().int().min(0).optional(), rateLimit: z.number().min(0).optional() });
const quotaSchema = z.object({ limit: z.number().int().min(0), offset: z.number().int().min(0).default(0), period: z.enum(["DAY", "WEEK", "MONTH"]) });
const apiStageSchema = z.object({ apiId: z.string().min(1), stage: z.string().min(1), throttle: z.record(z.string(), throttleSchema).optional() });
const patchSchema = z.object({
  patchOperations: z
    .array(
      z.object({
        op: z.enum(["add", "remove", "replace", "move", "copy", "test"]),
        path: z.string(),
        value: z.string().optional(),
        from: z.string().optional(),
      }),
    )
    .default([]),
});
type PatchOperation = z.infer<typeof patchSchema>["patchOperations"][number];

/**
 * What is wrong with an API key value, if anything: 20–128 characters (with AWS's messages, from
 * AWS-recorded LocalStack snapshots), alphanumeric (the developer guide's "alphanumeric string").
 */
function keyValueProblem(value: string): string | undefined {
  if (value.length < 20) return "API Key value should be at least 20 characters";
  if (value.length > 128) return "API Key value exceeds maximum size of 128 characters";
  if (!/^[A-Za-z0-9]+$/.test(value)) return "Invalid API Key value specified: it must be alphanumeric";
  return undefined;
}

function checkQuota(quota: QuotaSettings): void {
  const maxOffset = { DAY: 0, WEEK: 6, MONTH: 27 }[quota.period];
  if (quota.offset > maxOffset) throw badRequest(`Invalid quota offset ${quota.offset} for period ${quota.period}: must be between 0 and ${maxOffset}`);
}

function patchValue(op: PatchOperation): string {
  if (op.value === undefined) throw badRequest(`Invalid patch operation: value is required for ${op.op} ${op.path}`);
  return op.value;
}

function patchNumber(op: PatchOperation, integer: boolean): number {
  const n = Number(patchValue(op));
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw badRequest(`Invalid value for ${op.path}: ${op.value}`);
  return n;
}

/** AWS reads boolean patch values with Java's Boolean.parseBoolean: "yes" (or anything but "true") is false, not an error. */
function patchBoolean(op: PatchOperation): boolean {
  return parseJavaBoolean(patchValue(op));
}

function parseStageRef(value: string, separator: string): { apiId: string; stage: string } {
  const [apiId, stage, ...rest] = value.split(separator);
  if (!apiId || !stage || rest.length) throw badRequest(`Invalid API stage: '${value}', expected 'apiId${separator}stage'`);
  return { apiId, stage };
}

// ---------- wire shapes ----------

/** `view` "full" is the single-resource read/update shape, "summary" the create and list one (see wireTags). */
type View = "full" | "summary";

function keyToWire(key: ApiKey, includeValue: boolean, view: View = "summary") {
  const { value, tags, ...rest } = key;
  return { ...rest, ...(includeValue ? { value } : {}), ...wireTags(tags, view) };
}

function planToWire(plan: UsagePlan, view: View = "summary") {
  const { tags, ...rest } = plan;
  return { ...rest, ...wireTags(tags, view) };
}

function stageToWire(stage: Stage) {
  const { apiId: _apiId, tags, ...rest } = stage;
  return { ...rest, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false, ...wireTags(tags, "summary") };
}

function restApiToWire(api: RestApi, view: View = "summary") {
  const { spec: _spec, tags, ...rest } = api;
  return {
    ...rest,
    apiKeySource: "HEADER",
    endpointConfiguration: { types: ["REGIONAL"] },
    disableExecuteApiEndpoint: false,
    rootResourceId: rootResourceId(api.id),
    ...wireTags(tags, view),
  };
}

/** A calendar day as YYYY-MM-DD that exists (2026-02-30 does not, though Date.parse rolls it over to March 2). */
function isCalendarDay(day: string | null): day is string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Path of a per-method throttle in UpdateUsagePlan: /apiStages/{apiId}:{stage}/throttle[/{resourcePath}/{httpMethod}[/rateLimit|/burstLimit]]. */
const STAGE_THROTTLE_PATH = /^\/apiStages\/([^/]+)\/throttle(?:\/(.+?))?(?:\/(rateLimit|burstLimit))?$/;

/**
 * The throttle map key (`/pets/{petId}/GET`) of a patch path's `{resourcePath}/{httpMethod}` part.
 * AWS documents JSON-pointer escaping ("/" in a name as "~1", so `~1pets~1{petId}/GET`); Terraform's
 * provider sends the slashes raw (`/apiStages/a:s/throttle//pets/GET/rateLimit`) and that works
 * against AWS too, so both spell the same key.
 */
function methodThrottleKey(pointer: string): { key: string; resourcePath: string; httpMethod: string } {
  const unescaped = pointer.replace(/~1/g, "/").replace(/~0/g, "~");
  const key = unescaped.startsWith("/") ? unescaped : `/${unescaped}`;
  const m = /^(\/.*)\/([A-Za-z]+)$/.exec(key);
  if (!m) throw badRequest(`Invalid method throttle path '${pointer}': expected {resourcePath}/{httpMethod}, e.g. ~1pets/GET`);
  const resourcePath = m[1]!;
  const httpMethod = m[2]!.toUpperCase();
  return { key: `${resourcePath}/${httpMethod}`, resourcePath, httpMethod };
}

// ---------- the service ----------

export class ControlPlane {
  readonly router = new Router<Handler>();
  private readonly operationsCache = new Map<string, Operation[]>();

  constructor(
    private readonly state: ApiGatewayState,
    /** Base URL clients call a stage at (AWS: https://{id}.execute-api.{region}.amazonaws.com/{stage}). */
    private readonly invokeUrl: (apiId: string, stage: string) => string,
  ) {
    const r = this.router;
    // Before CreateApiKey: the same method and path, told apart by ?mode=import.
    r.add("POST", "/apikeys?mode=import", "ImportApiKeys", (q) => this.importApiKeys(q));
    r.add("POST", "/apikeys", "CreateApiKey", (q) => this.createApiKey(q));
    r.add("GET", "/apikeys", "GetApiKeys", (q) => this.getApiKeys(q));
    r.add("GET", "/apikeys/{apiKey}", "GetApiKey", (q) => ({
      status: 200,
      json: keyToWire(this.key(q.params.apiKey!), q.query.get("includeValue") === "true", "full"),
    }));
    r.add("PATCH", "/apikeys/{apiKey}", "UpdateApiKey", (q) => this.updateApiKey(q));
    r.add("DELETE", "/apikeys/{apiKey}", "DeleteApiKey", (q) => {
      this.key(q.params.apiKey!);
      this.state.deleteKey(q.params.apiKey!);
      this.state.changed();
      return { status: 202 };
    });

    r.add("POST", "/usageplans", "CreateUsagePlan", (q) => this.createUsagePlan(q));
    r.add("GET", "/usageplans", "GetUsagePlans", (q) => this.getUsagePlans(q));
    r.add("GET", "/usageplans/{usagePlanId}", "GetUsagePlan", (q) => ({ status: 200, json: planToWire(this.plan(q.params.usagePlanId!), "full") }));
    r.add("PATCH", "/usageplans/{usagePlanId}", "UpdateUsagePlan", (q) => this.updateUsagePlan(q));
    r.add("DELETE", "/usageplans/{usagePlanId}", "DeleteUsagePlan", (q) => {
      this.plan(q.params.usagePlanId!);
      this.state.deletePlan(q.params.usagePlanId!);
      this.state.changed();
      return { status: 202 };
    });
    r.add("POST", "/usageplans/{usagePlanId}/keys", "CreateUsagePlanKey", (q) => this.createUsagePlanKey(q));
    r.add("GET", "/usageplans/{usagePlanId}/keys", "GetUsagePlanKeys", (q) => this.getUsagePlanKeys(q));
    r.add("GET", "/usageplans/{usagePlanId}/keys/{keyId}", "GetUsagePlanKey", (q) => {
      const plan = this.plan(q.params.usagePlanId!);
      if (!this.state.planKeys.get(plan.id)?.has(q.params.keyId!)) throw notFound("Invalid Usage Plan Key identifier specified");
      return { status: 200, json: this.planKeyToWire(this.key(q.params.keyId!)) };
    });
    r.add("DELETE", "/usageplans/{usagePlanId}/keys/{keyId}", "DeleteUsagePlanKey", (q) => {
      const plan = this.plan(q.params.usagePlanId!);
      if (!this.state.planKeys.get(plan.id)?.has(q.params.keyId!)) throw notFound("Invalid Usage Plan Key identifier specified");
      this.state.removePlanKey(plan.id, q.params.keyId!);
      this.state.changed();
      return { status: 202 };
    });
    r.add("GET", "/usageplans/{usagePlanId}/usage", "GetUsage", (q) => this.getUsage(q));

    r.add("POST", "/restapis?mode=import", "ImportRestApi", (q) => this.importRestApi(q));
    r.add("GET", "/restapis", "GetRestApis", (q) => ({
      status: 200,
      json: listPage(
        [...this.state.restApis.values()].map((a) => restApiToWire(a)),
        q.query,
      ),
    }));
    r.add("GET", "/restapis/{restApiId}", "GetRestApi", (q) => ({ status: 200, json: restApiToWire(this.restApi(q.params.restApiId!), "full") }));
    r.add("PUT", "/restapis/{restApiId}", "PutRestApi", (q) => this.putRestApi(q));
    r.add("DELETE", "/restapis/{restApiId}", "DeleteRestApi", (q) => this.deleteRestApi(q));
    r.add("POST", "/restapis/{restApiId}/deployments", "CreateDeployment", (q) => this.createDeployment(q));
    r.add("GET", "/restapis/{restApiId}/deployments", "GetDeployments", (q) => {
      const api = this.restApi(q.params.restApiId!);
      const items = [...this.state.deployments.values()]
        .filter((d) => d.apiId === api.id)
        .map(({ id, description, createdDate }) => ({ id, description, createdDate }));
      return { status: 200, json: listPage(items, q.query) };
    });
    r.add("POST", "/restapis/{restApiId}/stages", "CreateStage", (q) => this.createStage(q));
    r.add("GET", "/restapis/{restApiId}/stages", "GetStages", (q) => {
      const api = this.restApi(q.params.restApiId!);
      const deploymentId = q.query.get("deploymentId");
      const items = [...this.state.stages.values()].filter((s) => s.apiId === api.id && (!deploymentId || s.deploymentId === deploymentId));
      return { status: 200, json: { item: items.map(stageToWire) } };
    });
    r.add("GET", "/restapis/{restApiId}/stages/{stageName}", "GetStage", (q) => ({
      status: 200,
      json: stageToWire(this.stage(q.params.restApiId!, q.params.stageName!)),
    }));
    r.add("DELETE", "/restapis/{restApiId}/stages/{stageName}", "DeleteStage", (q) => {
      const stage = this.stage(q.params.restApiId!, q.params.stageName!);
      this.state.stages.delete(stageKey(stage.apiId, stage.stageName));
      this.state.changed();
      return { status: 202 };
    });
    // GetExport, GetSdk, GetSdkTypes, GetSdkType, GetResources, GetResource, GetAccount: read-operations.ts.
    registerReadOperations(r, {
      state,
      invokeUrl,
      operationsFor: (stage) => this.operationsFor(stage),
      restApi: (id) => this.restApi(id),
      stage: (apiId, stageName) => this.stage(apiId, stageName),
    });

    // Tags, by the resource's ARN (URL-encoded into one path segment).
    r.add("GET", "/tags/{resourceArn}", "GetTags", (q) => ({ status: 200, json: { tags: { ...this.taggable(q.params.resourceArn!).tags } } }));
    r.add("PUT", "/tags/{resourceArn}", "TagResource", (q) => this.tagResource(q));
    r.add("DELETE", "/tags/{resourceArn}", "UntagResource", (q) => this.untagResource(q));
  }

  // ----- lookups that throw AWS's NotFound -----

  private key(id: string): ApiKey {
    const key = this.state.apiKeys.get(id);
    if (!key) throw notFound("Invalid API Key identifier specified");
    return key;
  }
  private plan(id: string): UsagePlan {
    const plan = this.state.usagePlans.get(id);
    if (!plan) throw notFound("Invalid Usage Plan ID specified");
    return plan;
  }
  private restApi(id: string): RestApi {
    const api = this.state.restApis.get(id);
    if (!api) throw notFound("Invalid API identifier specified");
    return api;
  }
  private stage(apiId: string, stageName: string): Stage {
    this.restApi(apiId);
    const stage = this.state.stages.get(stageKey(apiId, stageName));
    if (!stage) throw notFound("Invalid Stage identifier specified");
    return stage;
  }

  /** Methods of a stage's deployment, compiled once per deployment. */
  operationsFor(stage: Stage): Operation[] {
    let ops = this.operationsCache.get(stage.deploymentId);
    if (!ops) {
      const deployment = this.state.deployments.get(stage.deploymentId);
      ops = deployment ? compileOperations(deployment.spec) : [];
      this.operationsCache.set(stage.deploymentId, ops);
    }
    return ops;
  }

  // ----- API keys -----

  private createApiKey(q: ControlRequest): ControlResponse {
    const input = parseJson(
      z.object({
        name: z.string().optional(),
        description: z.string().optional(),
        enabled: z.boolean().default(false),
        generateDistinctId: z.boolean().optional(),
        value: z.string().optional(),
        stageKeys: z.array(z.object({ restApiId: z.string(), stageName: z.string() })).default([]),
        customerId: z.string().max(1024).optional(),
        tags,
      }),
      q.body,
    );
    // AWS's limits and messages (AWS-recorded LocalStack snapshots): names up to 1024 characters, descriptions up to 125,000.
    if (input.name && input.name.length > 1024) throw badRequest("Invalid API Key name, can be at most 1024 characters.");
    if (input.description && input.description.length > 125_000) throw badRequest("Invalid API Key description specified.");
    // An empty value is no value: AWS generates one (AWS-recorded LocalStack snapshot create-api-key-empty-value).
    const value = input.value || undefined;
    const invalid = value === undefined ? undefined : keyValueProblem(value);
    if (invalid) throw badRequest(invalid);
    if (value !== undefined && this.state.keyByValue.has(value)) throw conflict("API Key already exists");
    if (input.tags) checkTags(input.tags);
    if (this.state.apiKeys.size >= LIMITS.apiKeysPerAccount) {
      throw limitExceeded(`Cannot create more than ${LIMITS.apiKeysPerAccount} API keys in this account and Region`);
    }
    for (const sk of input.stageKeys) this.stage(sk.restApiId, sk.stageName);
    const now = epochSeconds();
    const id = newId();
    const key: ApiKey = {
      id,
      value: value ?? newKeyValue(),
      // No name (or an empty one) stays no name: AWS answers without `name`, it does not use the id.
      ...(input.name ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      enabled: input.enabled,
      ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
      createdDate: now,
      lastUpdatedDate: now,
      stageKeys: input.stageKeys.map((sk) => `${sk.restApiId}/${sk.stageName}`),
      tags: input.tags ?? {},
    };
    this.state.putKey(key);
    this.state.changed();
    return { status: 201, json: keyToWire(key, true) };
  }

  private getApiKeys(q: ControlRequest): ControlResponse {
    const name = q.query.get("name");
    const customerId = q.query.get("customerId");
    const includeValues = q.query.get("includeValues") === "true";
    const keys = [...this.state.apiKeys.values()].filter((k) => (!name || (k.name ?? "").startsWith(name)) && (!customerId || k.customerId === customerId));
    // No `warnings` member: AWS leaves it out of GetApiKeys (it concerns key imports).
    return {
      status: 200,
      json: listPage(
        keys.map((k) => keyToWire(k, includeValues)),
        q.query,
      ),
    };
  }

  private updateApiKey(q: ControlRequest): ControlResponse {
    const current = this.key(q.params.apiKey!);
    const { patchOperations } = parseJson(patchSchema, q.body);
    const next: ApiKey = { ...current, stageKeys: [...current.stageKeys] };
    for (const op of patchOperations) {
      if (op.op === "replace" && op.path === "/name") next.name = patchValue(op);
      else if (op.op === "replace" && op.path === "/description") {
        next.description = patchValue(op);
        if (next.description.length > 125_000) throw badRequest("Invalid API Key description specified.");
      } else if (op.op === "replace" && op.path === "/enabled") next.enabled = patchBoolean(op);
      else if (op.op === "replace" && op.path === "/customerId") next.customerId = patchValue(op);
      else if (op.op === "add" && op.path === "/stages") {
        const { apiId, stage } = parseStageRef(patchValue(op), "/");
        this.stage(apiId, stage);
        if (!next.stageKeys.includes(`${apiId}/${stage}`)) next.stageKeys.push(`${apiId}/${stage}`);
      } else if (op.op === "remove" && op.path === "/stages") next.stageKeys = next.stageKeys.filter((s) => s !== patchValue(op));
      else throw badRequest(`Invalid patch path '${op.path}' for operation '${op.op}'`);
    }
    next.lastUpdatedDate = epochSeconds();
    this.state.putKey(next);
    this.state.changed();
    return { status: 200, json: keyToWire(next, false, "full") };
  }

  /**
   * ImportApiKeys (POST /apikeys?mode=import&format=csv[&failonwarnings=true]), the developer guide's
   * "API key file format". A row whose key value is already in the account overwrites that key (same
   * id); rows that cannot be imported, and plans a key cannot join, become `warnings`. With
   * failonwarnings=true any warning rolls the whole import back as a 400 listing them. (The exact
   * warning texts AWS uses are not documented.)
   */
  private importApiKeys(q: ControlRequest): ControlResponse {
    const format = q.query.get("format");
    if (format !== "csv")
      throw badRequest(format === null ? "Missing required parameter: format (only csv is supported)" : `Invalid format '${format}': only csv is supported`);
    const failOnWarnings = parseJavaBoolean(q.query.get("failonwarnings") ?? undefined);
    const rows = parseApiKeyFile(q.body);
    const warnings: string[] = [];
    const accepted = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      const problem = !row.value
        ? "API Key value is required"
        : (keyValueProblem(row.value) ?? (row.name.length > 1024 ? "Invalid API Key name, can be at most 1024 characters." : undefined));
      if (problem) warnings.push(`Line ${row.line}: ${problem}`);
      else accepted.set(row.value, row); // the same value twice: the later row wins
    }
    const newKeys = [...accepted.keys()].filter((value) => !this.state.keyByValue.has(value)).length;
    if (this.state.apiKeys.size + newKeys > LIMITS.apiKeysPerAccount) {
      throw limitExceeded(`Cannot create more than ${LIMITS.apiKeysPerAccount} API keys in this account and Region`);
    }
    // Plan memberships are checked against a scratch copy of the plans' keys, so that the whole import can be refused first.
    const plansByKey = new Map<string, Set<string>>();
    const memberships: { value: string; planId: string }[] = [];
    for (const row of accepted.values()) {
      const existing = this.state.keyByValue.get(row.value);
      const plans = new Set(existing ? (this.state.plansByKey.get(existing.id) ?? []) : []);
      plansByKey.set(row.value, plans);
      for (const planId of row.usagePlanIds) {
        const plan = this.state.usagePlans.get(planId);
        const stageTaken = plan?.apiStages.find((s) =>
          [...plans].some((other) => other !== planId && this.state.usagePlans.get(other)?.apiStages.some((o) => o.apiId === s.apiId && o.stage === s.stage)),
        );
        if (!plan) warnings.push(`Line ${row.line}: Invalid Usage Plan ID specified: ${planId}`);
        else if (plans.has(planId)) continue;
        else if (stageTaken)
          warnings.push(`Line ${row.line}: API Key cannot reference multiple Usage Plans with the same API Stage: ${stageTaken.apiId}:${stageTaken.stage}`);
        else if (plans.size >= LIMITS.usagePlansPerKey)
          warnings.push(`Line ${row.line}: API Key cannot be associated with more than ${LIMITS.usagePlansPerKey} usage plans`);
        else {
          plans.add(planId);
          memberships.push({ value: row.value, planId });
        }
      }
    }
    if (failOnWarnings && warnings.length) throw badRequest(`API Key import failed with warnings: ${warnings.join("; ")}`);

    const now = epochSeconds();
    const ids: string[] = [];
    for (const row of accepted.values()) {
      const existing = this.state.keyByValue.get(row.value);
      const { name: _name, description: _description, ...kept } = existing ?? { id: newId(), value: row.value, createdDate: now, stageKeys: [], tags: {} };
      const key: ApiKey = {
        ...kept,
        ...(row.name ? { name: row.name } : {}),
        ...(row.description ? { description: row.description } : {}),
        enabled: row.enabled,
        lastUpdatedDate: now,
      };
      this.state.putKey(key);
      ids.push(key.id);
    }
    for (const { value, planId } of memberships) this.state.addPlanKey(planId, this.state.keyByValue.get(value)!.id);
    this.state.changed();
    return { status: 201, json: { ids, ...(warnings.length ? { warnings } : {}) } };
  }

  // ----- usage plans -----

  private checkApiStages(apiStages: ApiStage[]): void {
    const seen = new Set<string>();
    for (const s of apiStages) {
      if (!this.state.restApis.has(s.apiId) || !this.state.stages.has(stageKey(s.apiId, s.stage))) {
        throw badRequest(`Invalid API Stage {api: ${s.apiId}, stage: ${s.stage}} specified for usageplan`);
      }
      if (seen.has(stageKey(s.apiId, s.stage))) throw badRequest(`Duplicate API Stage {api: ${s.apiId}, stage: ${s.stage}}`);
      seen.add(stageKey(s.apiId, s.stage));
    }
  }

  private createUsagePlan(q: ControlRequest): ControlResponse {
    const input = parseJson(
      z.object({
        name: z.string().min(1, "name is required"),
        description: z.string().optional(),
        apiStages: z.array(apiStageSchema).default([]),
        throttle: throttleSchema.optional(),
        quota: quotaSchema.optional(),
        tags,
      }),
      q.body,
    );
    if (input.quota) checkQuota(input.quota);
    this.checkApiStages(input.apiStages);
    for (const s of input.apiStages) for (const key of Object.keys(s.throttle ?? {})) this.checkMethodThrottle(s, methodThrottleKey(key));
    if (input.tags) checkTags(input.tags);
    if (this.state.usagePlans.size >= LIMITS.usagePlansPerAccount) throw limitExceeded(`Cannot create more than ${LIMITS.usagePlansPerAccount} usage plans`);
    const plan: UsagePlan = {
      id: newId(),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      apiStages: input.apiStages,
      ...(input.throttle ? { throttle: input.throttle } : {}),
      ...(input.quota ? { quota: input.quota } : {}),
      tags: input.tags ?? {},
    };
    this.state.putPlan(plan);
    this.state.changed();
    return { status: 201, json: planToWire(plan) };
  }

  private getUsagePlans(q: ControlRequest): ControlResponse {
    const keyId = q.query.get("keyId");
    const plans = keyId
      ? [...(this.state.plansByKey.get(keyId) ?? [])].map((id) => this.state.usagePlans.get(id)!).filter(Boolean)
      : [...this.state.usagePlans.values()];
    return {
      status: 200,
      json: listPage(
        plans.map((p) => planToWire(p)),
        q.query,
      ),
    };
  }

  private updateUsagePlan(q: ControlRequest): ControlResponse {
    const current = this.plan(q.params.usagePlanId!);
    const { patchOperations } = parseJson(patchSchema, q.body);
    const next: UsagePlan = structuredClone(current);
    for (const op of patchOperations) {
      const field = op.path.split("/").slice(1);
      const stageThrottle = STAGE_THROTTLE_PATH.exec(op.path);
      if (stageThrottle) this.patchMethodThrottle(next, op, stageThrottle);
      else if (op.op === "replace" && op.path === "/name") next.name = patchValue(op);
      else if (op.op === "replace" && op.path === "/description") next.description = patchValue(op);
      else if (op.op === "replace" && op.path === "/productCode") next.productCode = patchValue(op);
      else if (op.op === "remove" && op.path === "/productCode") delete next.productCode;
      else if (op.op === "replace" && field[0] === "throttle" && (field[1] === "rateLimit" || field[1] === "burstLimit")) {
        next.throttle = { ...next.throttle, [field[1]]: patchNumber(op, field[1] === "burstLimit") };
      } else if (op.op === "remove" && op.path === "/throttle") delete next.throttle;
      else if (op.op === "replace" && field[0] === "quota" && (field[1] === "limit" || field[1] === "offset")) {
        next.quota = { period: "DAY", offset: 0, limit: 0, ...next.quota, [field[1]]: patchNumber(op, true) };
      } else if (op.op === "replace" && op.path === "/quota/period") {
        const period = z.enum(["DAY", "WEEK", "MONTH"]).safeParse(patchValue(op));
        if (!period.success) throw badRequest(`Invalid quota period '${op.value}': expected DAY, WEEK or MONTH`);
        next.quota = { limit: 0, offset: 0, ...next.quota, period: period.data };
      } else if (op.op === "remove" && op.path === "/quota") delete next.quota;
      else if (op.op === "add" && op.path === "/apiStages") {
        const ref = parseStageRef(patchValue(op), ":");
        if (!next.apiStages.some((s) => s.apiId === ref.apiId && s.stage === ref.stage)) next.apiStages.push(ref);
      } else if (op.op === "remove" && op.path === "/apiStages") {
        const ref = parseStageRef(patchValue(op), ":");
        const before = next.apiStages.length;
        next.apiStages = next.apiStages.filter((s) => !(s.apiId === ref.apiId && s.stage === ref.stage));
        if (next.apiStages.length === before)
          throw notFound(`Invalid API Stage {api: ${ref.apiId}, stage: ${ref.stage}} specified for usageplan ${current.id}`);
      } else throw badRequest(`Invalid patch path '${op.path}' for operation '${op.op}'`);
    }
    if (next.quota) checkQuota(next.quota);
    this.checkApiStages(next.apiStages);
    // A key may be in only one plan per API stage: adding a stage must not create a second one.
    for (const s of next.apiStages) {
      if (current.apiStages.some((c) => c.apiId === s.apiId && c.stage === s.stage)) continue;
      for (const keyId of this.state.planKeys.get(current.id) ?? []) {
        const other = this.planCoveringStage(keyId, s.apiId, s.stage, current.id);
        if (other) throw conflict(`API Key ${keyId} is already in usage plan ${other} for API Stage ${s.apiId}:${s.stage}`);
      }
    }
    this.state.putPlan(next);
    this.state.changed();
    return { status: 200, json: planToWire(next, "full") };
  }

  /**
   * A per-method throttle patch: add/replace `…/throttle/{resourcePath}/{httpMethod}/rateLimit` or
   * `/burstLimit`, remove `…/throttle/{resourcePath}/{httpMethod}` (one method) or `…/throttle` (all).
   * The plan answers them in `apiStages[].throttle` keyed `/path/METHOD`, as AWS does.
   */
  private patchMethodThrottle(plan: UsagePlan, op: PatchOperation, [, stageRef, pointer, limit]: RegExpExecArray): void {
    const ref = parseStageRef(stageRef!, ":");
    const apiStage = plan.apiStages.find((s) => s.apiId === ref.apiId && s.stage === ref.stage);
    if (!apiStage) throw notFound(`Invalid API Stage {api: ${ref.apiId}, stage: ${ref.stage}} specified for usageplan ${plan.id}`);
    if (op.op === "remove" && !limit) {
      if (pointer === undefined) delete apiStage.throttle;
      else if (apiStage.throttle) {
        delete apiStage.throttle[methodThrottleKey(pointer).key];
        if (!Object.keys(apiStage.throttle).length) delete apiStage.throttle;
      }
      return;
    }
    if ((op.op !== "replace" && op.op !== "add") || !limit || pointer === undefined)
      throw badRequest(`Invalid patch path '${op.path}' for operation '${op.op}'`);
    const method = methodThrottleKey(pointer);
    this.checkMethodThrottle(apiStage, method);
    apiStage.throttle = { ...apiStage.throttle, [method.key]: { ...apiStage.throttle?.[method.key], [limit]: patchNumber(op, limit === "burstLimit") } };
  }

  /**
   * A method throttle must name a method the stage has. (AWS keys these by resource and method; its
   * exact answer for an unknown method is not documented: the sandbox refuses it with 400.)
   */
  private checkMethodThrottle(apiStage: ApiStage, method: { key: string; resourcePath: string; httpMethod: string }): void {
    const stage = this.state.stages.get(stageKey(apiStage.apiId, apiStage.stage));
    const exists = stage && this.operationsFor(stage).some((o) => o.path === method.resourcePath && o.method === method.httpMethod);
    if (!exists) {
      throw badRequest(
        `Invalid method throttle '${method.key}': API Stage {api: ${apiStage.apiId}, stage: ${apiStage.stage}} has no ${method.httpMethod} method on ${method.resourcePath}`,
      );
    }
  }

  private planCoveringStage(keyId: string, apiId: string, stage: string, exceptPlanId?: string): string | undefined {
    for (const planId of this.state.plansByKey.get(keyId) ?? []) {
      if (planId === exceptPlanId) continue;
      if (this.state.usagePlans.get(planId)?.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) return planId;
    }
    return undefined;
  }

  private planKeyToWire(key: ApiKey) {
    return { id: key.id, type: "API_KEY", value: key.value, ...(key.name !== undefined ? { name: key.name } : {}) };
  }

  private createUsagePlanKey(q: ControlRequest): ControlResponse {
    const plan = this.plan(q.params.usagePlanId!);
    const input = parseJson(z.object({ keyId: z.string().min(1, "keyId is required"), keyType: z.string() }), q.body);
    if (input.keyType !== "API_KEY") throw badRequest(`Invalid key type '${input.keyType}': only API_KEY is supported`);
    const key = this.key(input.keyId);
    if (this.state.planKeys.get(plan.id)?.has(key.id)) throw conflict(`API Key ${key.id} is already in usage plan ${plan.id}`);
    for (const s of plan.apiStages) {
      const other = this.planCoveringStage(key.id, s.apiId, s.stage);
      if (other) {
        throw conflict(
          `Usage Plan ${plan.id} cannot be added because API Key ${key.id} cannot reference multiple Usage Plans with the same API Stage: ${s.apiId}:${s.stage}`,
        );
      }
    }
    if ((this.state.plansByKey.get(key.id)?.size ?? 0) >= LIMITS.usagePlansPerKey) {
      throw limitExceeded(`API Key ${key.id} cannot be associated with more than ${LIMITS.usagePlansPerKey} usage plans`);
    }
    this.state.addPlanKey(plan.id, key.id);
    this.state.changed();
    return { status: 201, json: this.planKeyToWire(key) };
  }

  /** An unknown plan has no keys rather than a 404: AWS answers 200 with an empty list (AWS-recorded LocalStack snapshot get-up-keys-bad-usage-plan). */
  private getUsagePlanKeys(q: ControlRequest): ControlResponse {
    const name = q.query.get("name");
    const keys = [...(this.state.planKeys.get(q.params.usagePlanId!) ?? [])]
      .map((id) => this.state.apiKeys.get(id))
      .filter((k): k is ApiKey => !!k && (!name || (k.name ?? "").startsWith(name)))
      .map((k) => this.planKeyToWire(k));
    return { status: 200, json: listPage(keys, q.query) };
  }

  private getUsage(q: ControlRequest): ControlResponse {
    const plan = this.plan(q.params.usagePlanId!);
    const startDate = q.query.get("startDate");
    const endDate = q.query.get("endDate");
    if (!isCalendarDay(startDate) || !isCalendarDay(endDate)) {
      // AWS's exact message for an impossible date is not documented; the exception type is BadRequestException.
      throw badRequest(`Invalid date: startDate and endDate must be existing days as YYYY-MM-DD (got '${startDate ?? ""}' and '${endDate ?? ""}')`);
    }
    if (endDate < startDate) throw badRequest("The end date must not be before the start date");
    const days = daysBetween(startDate, endDate);
    if (days.length > 90) throw badRequest("The usage date range must not exceed 90 days");
    const keyId = q.query.get("keyId");
    if (keyId) this.key(keyId);
    const byKey = this.state.usage.get(plan.id);
    const keyIds = keyId ? [keyId] : [...new Set([...(this.state.planKeys.get(plan.id) ?? []), ...(byKey?.keys() ?? [])])];
    const page = listPage(keyIds, q.query);
    const values: Record<string, [number, number][]> = {};
    for (const id of page.item) {
      values[id] = days.map((day) => {
        const used = this.state.usageOn(plan.id, id, day);
        if (!plan.quota) return [used, 0];
        const start = periodStart(day, plan.quota);
        const usedInPeriod = daysBetween(start, day).reduce((sum, d) => sum + this.state.usageOn(plan.id, id, d), 0);
        return [used, Math.max(0, plan.quota.limit - usedInPeriod)];
      });
    }
    return { status: 200, json: { usagePlanId: plan.id, startDate, endDate, values, ...(page.position ? { position: page.position } : {}) } };
  }

  // ----- tags -----

  /** The resource an ARN names, with its tags (404 as the resource's own lookup answers). */
  private taggable(arn: string): { tags: Record<string, string> } {
    const ref: TaggedResource = parseResourceArn(arn, SANDBOX_REGION);
    switch (ref.kind) {
      case "apikey":
        return this.key(ref.id);
      case "usageplan":
        return this.plan(ref.id);
      case "restapi":
        return this.restApi(ref.id);
      case "stage":
        return this.stage(ref.apiId, ref.stageName);
    }
  }

  /** TagResource: adds or overwrites tags (204). */
  private tagResource(q: ControlRequest): ControlResponse {
    const resource = this.taggable(q.params.resourceArn!);
    const { tags: added } = parseJson(z.object({ tags: z.record(z.string(), z.string(), { error: "tags is required" }) }), q.body);
    const next = { ...resource.tags, ...added };
    checkTags(next);
    resource.tags = next;
    this.state.changed();
    return { status: 204 };
  }

  /** UntagResource: `?tagKeys=a&tagKeys=b` (the SDKs repeat the parameter); keys it does not have are ignored (204). */
  private untagResource(q: ControlRequest): ControlResponse {
    const resource = this.taggable(q.params.resourceArn!);
    const keys = q.query.getAll("tagKeys");
    if (!keys.length) throw badRequest("tagKeys is required");
    resource.tags = Object.fromEntries(Object.entries(resource.tags).filter(([k]) => !keys.includes(k)));
    this.state.changed();
    return { status: 204 };
  }

  // ----- REST APIs, deployments, stages -----

  private async importRestApi(q: ControlRequest): Promise<ControlResponse> {
    if (!q.body.length) throw badRequest("Invalid OpenAPI input: the body is empty");
    const spec = await importDefinition(q.body);
    const info = spec.info as { title: string; description?: string };
    const version = definitionVersion(spec);
    const api: RestApi = {
      id: newId(),
      name: info.title,
      ...(info.description ? { description: info.description } : {}),
      ...(version ? { version } : {}),
      createdDate: epochSeconds(),
      tags: {},
      spec,
    };
    this.state.restApis.set(api.id, api);
    this.state.changed();
    return { status: 201, json: restApiToWire(api) };
  }

  private async putRestApi(q: ControlRequest): Promise<ControlResponse> {
    const api = this.restApi(q.params.restApiId!);
    const mode = q.query.get("mode") ?? "merge";
    if (mode !== "merge" && mode !== "overwrite") throw badRequest(`Invalid mode '${mode}': expected merge or overwrite`);
    const spec = await importDefinition(q.body);
    const merged = mode === "overwrite" ? spec : { ...api.spec, ...spec, paths: { ...(api.spec.paths as object), ...(spec.paths as object) } };
    const next = { ...api, spec: merged, name: (merged.info as { title: string }).title };
    this.state.restApis.set(api.id, next);
    this.state.changed();
    return { status: 200, json: restApiToWire(next, "full") };
  }

  private deleteRestApi(q: ControlRequest): ControlResponse {
    const api = this.restApi(q.params.restApiId!);
    const inPlan = [...this.state.usagePlans.values()].find((p) => p.apiStages.some((s) => s.apiId === api.id));
    if (inPlan) throw conflict(`Cannot delete API ${api.id}: its stages are used by usage plan ${inPlan.id}`);
    for (const [key, stage] of this.state.stages) if (stage.apiId === api.id) this.state.stages.delete(key);
    for (const [id, deployment] of this.state.deployments) if (deployment.apiId === api.id) this.state.deployments.delete(id);
    this.state.restApis.delete(api.id);
    this.state.changed();
    return { status: 202 };
  }

  private upsertStage(apiId: string, stageName: string, deploymentId: string, description?: string, tags: Record<string, string> = {}): Stage {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) throw badRequest("Stage name only allows a-zA-Z0-9_-");
    const existing = this.state.stages.get(stageKey(apiId, stageName));
    const now = epochSeconds();
    const stage: Stage = existing
      ? { ...existing, deploymentId, lastUpdatedDate: now }
      : { apiId, stageName, deploymentId, ...(description ? { description } : {}), createdDate: now, lastUpdatedDate: now, variables: {}, tags };
    this.state.stages.set(stageKey(apiId, stageName), stage);
    return stage;
  }

  private createDeployment(q: ControlRequest): ControlResponse {
    const api = this.restApi(q.params.restApiId!);
    const input = parseJson(
      z.object({ stageName: z.string().optional(), stageDescription: z.string().optional(), description: z.string().optional() }),
      q.body,
    );
    if (!Object.keys((api.spec.paths ?? {}) as object).length) throw badRequest("The REST API doesn't contain any methods");
    const deployment = {
      id: newId(),
      apiId: api.id,
      createdDate: epochSeconds(),
      ...(input.description ? { description: input.description } : {}),
      spec: structuredClone(api.spec),
    };
    this.state.deployments.set(deployment.id, deployment);
    if (input.stageName) this.upsertStage(api.id, input.stageName, deployment.id, input.stageDescription);
    this.state.changed();
    const { spec: _spec, apiId: _apiId, ...wire } = deployment;
    return { status: 201, json: wire };
  }

  private createStage(q: ControlRequest): ControlResponse {
    const api = this.restApi(q.params.restApiId!);
    const input = parseJson(z.object({ stageName: z.string().min(1), deploymentId: z.string().min(1), description: z.string().optional(), tags }), q.body);
    const deployment = this.state.deployments.get(input.deploymentId);
    if (!deployment || deployment.apiId !== api.id) throw badRequest("Invalid deployment identifier specified");
    if (this.state.stages.has(stageKey(api.id, input.stageName))) throw conflict("Stage already exists");
    if (input.tags) checkTags(input.tags);
    const stage = this.upsertStage(api.id, input.stageName, deployment.id, input.description, input.tags);
    this.state.changed();
    return { status: 201, json: stageToWire(stage) };
  }
}
