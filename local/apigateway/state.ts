import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export interface ThrottleSettings {
  rateLimit?: number;
  burstLimit?: number;
}
export interface QuotaSettings {
  limit: number;
  offset: number;
  period: "DAY" | "WEEK" | "MONTH";
}
export interface ApiStage {
  apiId: string;
  stage: string;
  /** Per-method throttles keyed `/path/METHOD`. */
  throttle?: Record<string, ThrottleSettings>;
}
export interface ApiKey {
  id: string;
  value: string;
  /** Absent when the key was created without one (AWS does not fill it in). */
  name?: string;
  description?: string;
  enabled: boolean;
  customerId?: string;
  createdDate: number;
  lastUpdatedDate: number;
  stageKeys: string[];
  tags: Record<string, string>;
}
export interface UsagePlan {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  productCode?: string;
  tags: Record<string, string>;
}
export interface RestApi {
  id: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  tags: Record<string, string>;
  /** The OpenAPI document the API was imported from (the sandbox's whole model of its methods). */
  spec: Record<string, unknown>;
}
export interface Deployment {
  id: string;
  apiId: string;
  description?: string;
  createdDate: number;
  spec: Record<string, unknown>;
}
export interface Stage {
  apiId: string;
  stageName: string;
  deploymentId: string;
  description?: string;
  createdDate: number;
  lastUpdatedDate: number;
  variables: Record<string, string>;
  tags: Record<string, string>;
}

interface Snapshot {
  restApis: RestApi[];
  deployments: Deployment[];
  stages: Stage[];
  apiKeys: ApiKey[];
  usagePlans: UsagePlan[];
  /** planId → key ids */
  planKeys: Record<string, string[]>;
  /** planId → keyId → YYYY-MM-DD → requests */
  usage: Record<string, Record<string, Record<string, number>>>;
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const VALUE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** AWS resource ids look like `a1b2c3d4e5`. */
export const newId = () => randomString(ID_ALPHABET, 10);
export const newKeyValue = () => randomString(VALUE_ALPHABET, 40);
export const epochSeconds = () => Math.floor(Date.now() / 1000);
export const stageKey = (apiId: string, stage: string) => `${apiId}/${stage}`;

/**
 * The API Gateway account's state, in memory with indexes for the data plane's hot path,
 * persisted as one JSON file (written shortly after each change, and on close).
 */
export class ApiGatewayState {
  readonly restApis = new Map<string, RestApi>();
  readonly deployments = new Map<string, Deployment>();
  /** `apiId/stage` → stage */
  readonly stages = new Map<string, Stage>();
  readonly apiKeys = new Map<string, ApiKey>();
  readonly usagePlans = new Map<string, UsagePlan>();
  readonly planKeys = new Map<string, Set<string>>();
  readonly usage = new Map<string, Map<string, Map<string, number>>>();

  // Indexes, rebuilt from the maps above.
  readonly keyByValue = new Map<string, ApiKey>();
  readonly plansByKey = new Map<string, Set<string>>();
  readonly plansByStage = new Map<string, Set<string>>();

  private saveTimer?: NodeJS.Timeout;

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) this.load(JSON.parse(readFileSync(file, "utf8")) as Snapshot);
  }

  private load(snapshot: Snapshot): void {
    for (const api of snapshot.restApis) this.restApis.set(api.id, api);
    for (const deployment of snapshot.deployments) this.deployments.set(deployment.id, deployment);
    for (const stage of snapshot.stages) this.stages.set(stageKey(stage.apiId, stage.stageName), stage);
    for (const key of snapshot.apiKeys) this.putKey(key);
    for (const plan of snapshot.usagePlans) this.putPlan(plan);
    for (const [planId, keyIds] of Object.entries(snapshot.planKeys)) for (const keyId of keyIds) this.addPlanKey(planId, keyId);
    for (const [planId, byKey] of Object.entries(snapshot.usage)) {
      this.usage.set(planId, new Map(Object.entries(byKey).map(([keyId, days]) => [keyId, new Map(Object.entries(days))])));
    }
  }

  private snapshot(): Snapshot {
    return {
      restApis: [...this.restApis.values()],
      deployments: [...this.deployments.values()],
      stages: [...this.stages.values()],
      apiKeys: [...this.apiKeys.values()],
      usagePlans: [...this.usagePlans.values()],
      planKeys: Object.fromEntries([...this.planKeys].map(([planId, keys]) => [planId, [...keys]])),
      usage: Object.fromEntries(
        [...this.usage].map(([planId, byKey]) => [planId, Object.fromEntries([...byKey].map(([keyId, days]) => [keyId, Object.fromEntries(days)]))]),
      ),
    };
  }

  /** Schedules a write; many changes in a burst (e.g. usage counting under load) become one write. */
  changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 250);
    this.saveTimer.unref();
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.file);
  }

  putKey(key: ApiKey): void {
    const previous = this.apiKeys.get(key.id);
    if (previous) this.keyByValue.delete(previous.value);
    this.apiKeys.set(key.id, key);
    this.keyByValue.set(key.value, key);
  }

  deleteKey(keyId: string): void {
    const key = this.apiKeys.get(keyId);
    if (!key) return;
    for (const planId of this.plansByKey.get(keyId) ?? []) this.planKeys.get(planId)?.delete(keyId);
    this.plansByKey.delete(keyId);
    this.keyByValue.delete(key.value);
    this.apiKeys.delete(keyId);
  }

  putPlan(plan: UsagePlan): void {
    const previous = this.usagePlans.get(plan.id);
    for (const s of previous?.apiStages ?? []) this.plansByStage.get(stageKey(s.apiId, s.stage))?.delete(plan.id);
    this.usagePlans.set(plan.id, plan);
    for (const s of plan.apiStages) {
      const key = stageKey(s.apiId, s.stage);
      if (!this.plansByStage.has(key)) this.plansByStage.set(key, new Set());
      this.plansByStage.get(key)!.add(plan.id);
    }
  }

  deletePlan(planId: string): void {
    const plan = this.usagePlans.get(planId);
    if (!plan) return;
    for (const keyId of this.planKeys.get(planId) ?? []) this.plansByKey.get(keyId)?.delete(planId);
    for (const s of plan.apiStages) this.plansByStage.get(stageKey(s.apiId, s.stage))?.delete(planId);
    this.planKeys.delete(planId);
    this.usage.delete(planId);
    this.usagePlans.delete(planId);
  }

  addPlanKey(planId: string, keyId: string): void {
    if (!this.planKeys.has(planId)) this.planKeys.set(planId, new Set());
    this.planKeys.get(planId)!.add(keyId);
    if (!this.plansByKey.has(keyId)) this.plansByKey.set(keyId, new Set());
    this.plansByKey.get(keyId)!.add(planId);
  }

  removePlanKey(planId: string, keyId: string): void {
    this.planKeys.get(planId)?.delete(keyId);
    this.plansByKey.get(keyId)?.delete(planId);
  }

  /** Counts one accepted data-plane request for a key under a plan on a UTC day. */
  countUsage(planId: string, keyId: string, day: string): void {
    let byKey = this.usage.get(planId);
    if (!byKey) this.usage.set(planId, (byKey = new Map()));
    let days = byKey.get(keyId);
    if (!days) byKey.set(keyId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + 1);
    this.changed();
  }

  usageOn(planId: string, keyId: string, day: string): number {
    return this.usage.get(planId)?.get(keyId)?.get(day) ?? 0;
  }
}
