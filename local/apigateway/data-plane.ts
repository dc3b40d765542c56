import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../http";
import { TokenBucket } from "./budget";
import type { ControlPlane } from "./control-plane";
import type { Operation } from "./openapi";
import type { AccessView } from "./propagation";
import { daysBetween, periodStart, utcDay } from "./quota";
import { stageKey, type ApiGatewayState, type ApiKey, type UsagePlan } from "./state";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "content-type,x-api-key,authorization",
  "access-control-allow-methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS,HEAD",
  "access-control-expose-headers": "x-amzn-requestid,x-amzn-errortype,x-amz-apigw-id",
};

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  sendJson(res, status, body, { ...(errorType ? { "x-amzn-errortype": errorType } : {}), ...CORS });
}

/**
 * execute-api: calls to a deployed stage, authorized by API key and usage plan, throttled and
 * quota-limited per plan and key, counted per key per day (what GetUsage reports).
 */
export class DataPlane {
  private readonly buckets = new Map<string, TokenBucket>();
  /** `plan:key:periodStart` → requests used in that quota period. */
  private readonly periodUsage = new Map<string, number>();
  private readonly periodStarts = new Map<string, string>();

  constructor(
    private readonly state: ApiGatewayState,
    private readonly control: ControlPlane,
    /** Keys and plans as the data plane sees them: the live state, or one that lags (propagation.ts). */
    private readonly access: () => AccessView = () => state,
  ) {}

  handle(apiId: string, stageName: string, path: string, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const method = req.method ?? "GET";
    if (method === "OPTIONS") return void res.writeHead(204, CORS).end();
    const stage = this.state.stages.get(stageKey(apiId, stageName));
    if (!stage) return send(res, 403, { message: "Forbidden" }, "ForbiddenException");
    const operation = this.control.operationsFor(stage).find((op) => op.method === method && op.matcher.test(path));
    if (!operation) return send(res, 403, { message: "Missing Authentication Token" }, "MissingAuthenticationTokenException");
    if (!operation.apiKeyRequired) return this.respond(res, operation);

    const header = req.headers["x-api-key"];
    const view = this.access();
    const key = typeof header === "string" ? view.keyByValue.get(header) : undefined;
    const plan = key?.enabled ? this.planFor(view, key, apiId, stageName) : undefined;
    if (!key || !plan) return send(res, 403, { message: "Forbidden" }, "ForbiddenException");

    if (!this.withinThrottle(plan, key, apiId, stageName, operation)) return send(res, 429, { message: "Too Many Requests" }, "TooManyRequestsException");
    const today = utcDay(new Date());
    if (plan.quota) {
      const counter = `${plan.id}:${key.id}:${this.periodStartOf(today, plan)}`;
      const used = this.periodUsage.get(counter) ?? this.sumPeriod(plan, key.id, today);
      if (used >= plan.quota.limit) return send(res, 429, { message: "Limit Exceeded" }, "LimitExceededException");
      this.periodUsage.set(counter, used + 1);
    }
    this.state.countUsage(plan.id, key.id, today);
    this.respond(res, operation);
  }

  private respond(res: ServerResponse, operation: Operation): void {
    send(res, operation.status, operation.example ?? {});
  }

  /** The plan through which this key reaches the stage (API Gateway allows at most one). */
  private planFor(view: AccessView, key: ApiKey, apiId: string, stageName: string): UsagePlan | undefined {
    const covering = view.plansByStage.get(stageKey(apiId, stageName));
    if (!covering) return undefined;
    for (const planId of view.plansByKey.get(key.id) ?? []) if (covering.has(planId)) return view.usagePlans.get(planId);
    return undefined;
  }

  private withinThrottle(plan: UsagePlan, key: ApiKey, apiId: string, stageName: string, op: Operation): boolean {
    const methodLimit = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stageName)?.throttle?.[`${op.path}/${op.method}`];
    for (const [scope, limit] of [
      ["plan", plan.throttle],
      [`${op.path}/${op.method}`, methodLimit],
    ] as const) {
      if (limit?.rateLimit === undefined && limit?.burstLimit === undefined) continue;
      const rate = limit.rateLimit ?? Number.MAX_SAFE_INTEGER;
      const burst = Math.max(1, limit.burstLimit ?? Math.ceil(rate));
      const id = `${plan.id}:${key.id}:${scope}:${rate}:${burst}`;
      let bucket = this.buckets.get(id);
      if (!bucket) this.buckets.set(id, (bucket = new TokenBucket(rate, burst)));
      if (!bucket.take().ok) return false;
    }
    return true;
  }

  private periodStartOf(day: string, plan: UsagePlan): string {
    const id = `${day}:${plan.quota!.period}:${plan.quota!.offset}`;
    let start = this.periodStarts.get(id);
    if (!start) this.periodStarts.set(id, (start = periodStart(day, plan.quota!)));
    return start;
  }

  private sumPeriod(plan: UsagePlan, keyId: string, today: string): number {
    return daysBetween(this.periodStartOf(today, plan), today).reduce((sum, day) => sum + this.state.usageOn(plan.id, keyId, day), 0);
  }
}
