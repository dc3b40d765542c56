import { z } from "zod";
import { badRequest, conflict, limitExceeded, notFound } from "./errors";
import { compileOperations, exportDefinition, importDefinition, type Operation } from "./openapi";
import { daysBetween, periodStart } from "./quota";
import { Router } from "./router";
import { generateSdk } from "./sdk";
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
    .array(z.object({ op: z.enum(["add", "remove", "replace", "move", "copy", "test"]), path: z.string(), value: z.string().optional(), from: z.string().optional() }))
    .default([]),
});
type PatchOperation = z.infer<typeof patchSchema>["patchOperations"][number];

const KEY_VALUE = /^[A-Za-z0-9]{20,128}$/;

function checkQuota(quota: QuotaSettings): void {
  const maxOffset = { DAY: 0, WEEK: 6, MONTH: 27 }[quota.period];
  if (quota.offset > maxOffset) throw badRequest(`Invalid quota offset ${quota.offset} for period ${quota.period}: must be between 0 and ${maxOffset}`);
}

function listPage<T>(items: T[], query: URLSearchParams): { item: T[]; position?: string } {
  const limitText = query.get("limit");
  const limit = limitText === null ? 25 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest("Invalid limit: must be an integer between 1 and 500");
  const position = query.get("position");
  let offset = 0;
  if (position) {
    offset = Number(Buffer.from(position, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw badRequest("Invalid position parameter");
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString("base64url") : undefined;
  return { item: page, ...(next ? { position: next } : {}) };
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

function patchBoolean(op: PatchOperation): boolean {
  const value = patchValue(op).toLowerCase();
  if (value !== "true" && value !== "false") throw badRequest(`Invalid value for ${op.path}: expected true or false`);
  return value === "true";
}

function parseStageRef(value: string, separator: string): { apiId: string; stage: string } {
  const [apiId, stage, ...rest] = value.split(separator);
  if (!apiId || !stage || rest.length) throw badRequest(`Invalid API stage: '${value}', expected 'apiId${separator}stage'`);
  return { apiId, stage };
}

// ---------- wire shapes ----------

function keyToWire(key: ApiKey, includeValue: boolean) {
  const { value, ...rest } = key;
  return includeValue ? { ...rest, value } : rest;
}

function stageToWire(stage: Stage) {
  return { ...stage, apiId: undefined, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false };
}

function restApiToWire(api: RestApi) {
  const { spec: _spec, ...rest } = api;
  return { ...rest, apiKeySource: "HEADER", endpointConfiguration: { types: ["REGIONAL"] }, disableExecuteApiEndpoint: false, rootResourceId: `${api.id.slice(0, 6)}root` };
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
    r.add("POST", "/apikeys", "CreateApiKey", (q) => this.createApiKey(q));
    r.add("GET", "/apikeys", "GetApiKeys", (q) => this.getApiKeys(q));
    r.add("GET", "/apikeys/{apiKey}", "GetApiKey", (q) => ({ status: 200, json: keyToWire(this.key(q.params.apiKey!), q.query.get("includeValue") === "true") }));
    r.add("PATCH", "/apikeys/{apiKey}", "UpdateApiKey", (q) => this.updateApiKey(q));
    r.add("DELETE", "/apikeys/{apiKey}", "DeleteApiKey", (q) => {
      this.key(q.params.apiKey!);
      this.state.deleteKey(q.params.apiKey!);
      this.state.changed();
      return { status: 202 };
    });

    r.add("POST", "/usageplans", "CreateUsagePlan", (q) => this.createUsagePlan(q));
    r.add("GET", "/usageplans", "GetUsagePlans", (q) => this.getUsagePlans(q));
    r.add("GET", "/usageplans/{usagePlanId}", "GetUsagePlan", (q) => ({ status: 200, json: this.plan(q.params.usagePlanId!) }));
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
    r.add("GET", "/restapis", "GetRestApis", (q) => ({ status: 200, json: listPage([...this.state.restApis.values()].map(restApiToWire), q.query) }));
    r.add("GET", "/restapis/{restApiId}", "GetRestApi", (q) => ({ status: 200, json: restApiToWire(this.restApi(q.params.restApiId!)) }));
    r.add("PUT", "/restapis/{restApiId}", "PutRestApi", (q) => this.putRestApi(q));
    r.add("DELETE", "/restapis/{restApiId}", "DeleteRestApi", (q) => this.deleteRestApi(q));
    r.add("POST", "/restapis/{restApiId}/deployments", "CreateDeployment", (q) => this.createDeployment(q));
    r.add("GET", "/restapis/{restApiId}/deployments", "GetDeployments", (q) => {
      const api = this.restApi(q.params.restApiId!);
      const items = [...this.state.deployments.values()].filter((d) => d.apiId === api.id).map(({ id, description, createdDate }) => ({ id, description, createdDate }));
      return { status: 200, json: listPage(items, q.query) };
    });
    r.add("POST", "/restapis/{restApiId}/stages", "CreateStage", (q) => this.createStage(q));
    r.add("GET", "/restapis/{restApiId}/stages", "GetStages", (q) => {
      const api = this.restApi(q.params.restApiId!);
      const deploymentId = q.query.get("deploymentId");
      const items = [...this.state.stages.values()].filter((s) => s.apiId === api.id && (!deploymentId || s.deploymentId === deploymentId));
      return { status: 200, json: { item: items.map(stageToWire) } };
    });
    r.add("GET", "/restapis/{restApiId}/stages/{stageName}", "GetStage", (q) => ({ status: 200, json: stageToWire(this.stage(q.params.restApiId!, q.params.stageName!)) }));
    r.add("DELETE", "/restapis/{restApiId}/stages/{stageName}", "DeleteStage", (q) => {
      const stage = this.stage(q.params.restApiId!, q.params.stageName!);
      this.state.stages.delete(stageKey(stage.apiId, stage.stageName));
      this.state.changed();
      return { status: 202 };
    });
    r.add("GET", "/restapis/{restApiId}/stages/{stageName}/exports/{exportType}", "GetExport", (q) => this.getExport(q));
    r.add("GET", "/restapis/{restApiId}/stages/{stageName}/sdks/{sdkType}", "GetSdk", (q) => this.getSdk(q));
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
        name: z.string().max(1024).optional(),
        description: z.string().max(1024).optional(),
        enabled: z.boolean().default(false),
        generateDistinctId: z.boolean().optional(),
        value: z.string().optional(),
        stageKeys: z.array(z.object({ restApiId: z.string(), stageName: z.string() })).default([]),
        customerId: z.string().max(1024).optional(),
        tags,
      }),
      q.body,
    );
    if (input.value !== undefined && !KEY_VALUE.test(input.value)) {
      throw badRequest("Invalid API Key value specified: it must be 20 to 128 alphanumeric characters");
    }
    if (input.value !== undefined && this.state.keyByValue.has(input.value)) throw conflict("API Key already exists");
    if (this.state.apiKeys.size >= LIMITS.apiKeysPerAccount) {
      throw limitExceeded(`Cannot create more than ${LIMITS.apiKeysPerAccount} API keys in this account and Region`);
    }
    for (const sk of input.stageKeys) this.stage(sk.restApiId, sk.stageName);
    const now = epochSeconds();
    const id = newId();
    const key: ApiKey = {
      id,
      value: input.value ?? newKeyValue(),
      name: input.name ?? id,
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
    const keys = [...this.state.apiKeys.values()].filter((k) => (!name || k.name.startsWith(name)) && (!customerId || k.customerId === customerId));
    return { status: 200, json: { ...listPage(keys.map((k) => keyToWire(k, includeValues)), q.query), warnings: [] } };
  }

  private updateApiKey(q: ControlRequest): ControlResponse {
    const current = this.key(q.params.apiKey!);
    const { patchOperations } = parseJson(patchSchema, q.body);
    const next: ApiKey = { ...current, stageKeys: [...current.stageKeys] };
    for (const op of patchOperations) {
      if (op.op === "replace" && op.path === "/name") next.name = patchValue(op);
      else if (op.op === "replace" && op.path === "/description") next.description = patchValue(op);
      else if (op.op === "replace" && op.path === "/enabled") next.enabled = patchBoolean(op);
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
    return { status: 200, json: keyToWire(next, false) };
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
    return { status: 201, json: plan };
  }

  private getUsagePlans(q: ControlRequest): ControlResponse {
    const keyId = q.query.get("keyId");
    const plans = keyId
      ? [...(this.state.plansByKey.get(keyId) ?? [])].map((id) => this.state.usagePlans.get(id)!).filter(Boolean)
      : [...this.state.usagePlans.values()];
    return { status: 200, json: listPage(plans, q.query) };
  }

  private updateUsagePlan(q: ControlRequest): ControlResponse {
    const current = this.plan(q.params.usagePlanId!);
    const { patchOperations } = parseJson(patchSchema, q.body);
    const next: UsagePlan = structuredClone(current);
    for (const op of patchOperations) {
      const field = op.path.split("/").slice(1);
      if (op.op === "replace" && op.path === "/name") next.name = patchValue(op);
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
        if (next.apiStages.length === before) throw notFound(`API Stage ${ref.apiId}:${ref.stage} is not in usage plan ${current.id}`);
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
    return { status: 200, json: next };
  }

  private planCoveringStage(keyId: string, apiId: string, stage: string, exceptPlanId?: string): string | undefined {
    for (const planId of this.state.plansByKey.get(keyId) ?? []) {
      if (planId === exceptPlanId) continue;
      if (this.state.usagePlans.get(planId)?.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) return planId;
    }
    return undefined;
  }

  private planKeyToWire(key: ApiKey) {
    return { id: key.id, type: "API_KEY", value: key.value, name: key.name };
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

  private getUsagePlanKeys(q: ControlRequest): ControlResponse {
    const plan = this.plan(q.params.usagePlanId!);
    const name = q.query.get("name");
    const keys = [...(this.state.planKeys.get(plan.id) ?? [])]
      .map((id) => this.state.apiKeys.get(id)!)
      .filter((k) => k && (!name || k.name.startsWith(name)))
      .map((k) => this.planKeyToWire(k));
    return { status: 200, json: listPage(keys, q.query) };
  }

  private getUsage(q: ControlRequest): ControlResponse {
    const plan = this.plan(q.params.usagePlanId!);
    const startDate = q.query.get("startDate");
    const endDate = q.query.get("endDate");
    const isDate = (d: string | null): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
    if (!isDate(startDate) || !isDate(endDate)) throw badRequest("Invalid date format: startDate and endDate are required as YYYY-MM-DD");
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

  // ----- REST APIs, deployments, stages -----

  private async importRestApi(q: ControlRequest): Promise<ControlResponse> {
    if (!q.body.length) throw badRequest("Invalid OpenAPI input: the body is empty");
    const spec = await importDefinition(q.body);
    const info = spec.info as { title: string; description?: string; version?: string };
    const api: RestApi = {
      id: newId(),
      name: info.title,
      ...(info.description ? { description: info.description } : {}),
      ...(info.version ? { version: info.version } : {}),
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
    return { status: 200, json: restApiToWire(next) };
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

  private upsertStage(apiId: string, stageName: string, deploymentId: string, description?: string): Stage {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) throw badRequest("Stage name only allows a-zA-Z0-9_-");
    const existing = this.state.stages.get(stageKey(apiId, stageName));
    const now = epochSeconds();
    const stage: Stage = existing
      ? { ...existing, deploymentId, lastUpdatedDate: now }
      : { apiId, stageName, deploymentId, ...(description ? { description } : {}), createdDate: now, lastUpdatedDate: now, variables: {}, tags: {} };
    this.state.stages.set(stageKey(apiId, stageName), stage);
    return stage;
  }

  private createDeployment(q: ControlRequest): ControlResponse {
    const api = this.restApi(q.params.restApiId!);
    const input = parseJson(z.object({ stageName: z.string().optional(), stageDescription: z.string().optional(), description: z.string().optional() }), q.body);
    if (!Object.keys((api.spec.paths ?? {}) as object).length) throw badRequest("The REST API doesn't contain any methods");
    const deployment = { id: newId(), apiId: api.id, createdDate: epochSeconds(), ...(input.description ? { description: input.description } : {}), spec: structuredClone(api.spec) };
    this.state.deployments.set(deployment.id, deployment);
    if (input.stageName) this.upsertStage(api.id, input.stageName, deployment.id, input.stageDescription);
    this.state.changed();
    const { spec: _spec, apiId: _apiId, ...wire } = deployment;
    return { status: 201, json: wire };
  }

  private createStage(q: ControlRequest): ControlResponse {
    const api = this.restApi(q.params.restApiId!);
    const input = parseJson(z.object({ stageName: z.string().min(1), deploymentId: z.string().min(1), description: z.string().optional() }), q.body);
    const deployment = this.state.deployments.get(input.deploymentId);
    if (!deployment || deployment.apiId !== api.id) throw badRequest("Invalid deployment identifier specified");
    if (this.state.stages.has(stageKey(api.id, input.stageName))) throw conflict("Stage already exists");
    const stage = this.upsertStage(api.id, input.stageName, deployment.id, input.description);
    this.state.changed();
    return { status: 201, json: stageToWire(stage) };
  }

  private deployedSpec(stage: Stage): Record<string, unknown> {
    const deployment = this.state.deployments.get(stage.deploymentId);
    if (!deployment) throw notFound("Invalid deployment identifier specified");
    return deployment.spec;
  }

  private getExport(q: ControlRequest): ControlResponse {
    const stage = this.stage(q.params.restApiId!, q.params.stageName!);
    const exportType = q.params.exportType;
    if (exportType !== "oas30" && exportType !== "swagger") throw badRequest(`Invalid export type '${exportType}': expected oas30 or swagger`);
    const accept = q.accept ?? "application/json";
    const yaml = accept.includes("yaml");
    if (!yaml && !accept.includes("json") && !accept.includes("*/*")) throw badRequest(`Unsupported Accept '${accept}': use application/json or application/yaml`);
    const extensions = (q.query.get("extensions") ?? "").split(",").filter(Boolean);
    const { body, contentType } = exportDefinition(this.deployedSpec(stage), {
      exportType,
      serverUrl: this.invokeUrl(stage.apiId, "{basePath}"),
      stage: stage.stageName,
      invokeUrl: this.invokeUrl(stage.apiId, stage.stageName),
      extensions,
      yaml,
    });
    const file = `${exportType === "swagger" ? "swagger" : "oas30"}_${stage.stageName}.${yaml ? "yaml" : "json"}`;
    return { status: 200, raw: { body, contentType, disposition: `attachment; filename="${file}"` } };
  }

  private getSdk(q: ControlRequest): ControlResponse {
    const stage = this.stage(q.params.restApiId!, q.params.stageName!);
    const api = this.restApi(stage.apiId);
    const parameters = Object.fromEntries(q.query);
    const zip = generateSdk(
      q.params.sdkType!,
      parameters,
      { id: api.id, name: api.name, stage: stage.stageName, invokeUrl: this.invokeUrl(api.id, stage.stageName) },
      this.operationsFor(stage),
    );
    return { status: 200, raw: { body: zip, contentType: "application/octet-stream", disposition: `attachment; filename="${api.id}-${stage.stageName}-${q.params.sdkType}.zip"` } };
  }
}
