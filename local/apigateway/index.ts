import path from "node:path";
import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { readBody, sendJson } from "../http";
import type { EdgeRequest, SandboxService } from "../service";
import { AdmissionRecorder, ControlPlaneBudget } from "./budget";
import { ControlPlane } from "./control-plane";
import { DataPlane } from "./data-plane";
import { ApiGatewayError, notFound, sendApiGatewayError, serviceUnavailable, tooManyRequests } from "./errors";
import { Propagation, propagationDelayFromEnv } from "./propagation";
import { ApiGatewayState } from "./state";

const CONTROL_PATH = /^\/(apikeys|usageplans|restapis|tags|sdktypes|account)(\/|$)/;
/** LocalStack's path style: /restapis/{id}/{stage}/_user_request_/{path} */
const USER_REQUEST_PATH = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;
/** Host style, as AWS: {id}.execute-api.localhost:4566/{stage}/{path} (browsers resolve *.localhost). */
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\./;

export interface ApiGatewayOptions {
  /**
   * The milliseconds the control-plane budget refills by and propagation delays count (any scale
   * that only moves forward): the wall clock unless a test drives one by hand.
   */
  clock?: () => number;
}

/** API Gateway: the REST-JSON control plane and the execute-api data plane, sharing one state. */
export async function createApiGateway(ctx: SandboxContext, options: ApiGatewayOptions = {}): Promise<SandboxService[]> {
  const state = new ApiGatewayState(path.join(ctx.stateDir, "apigateway.json"));
  const budget = new ControlPlaneBudget(process.env.SANDBOX_BUDGET !== "off", options.clock);
  const invokeUrl = (apiId: string, stage: string) => `${ctx.url}/restapis/${apiId}/${stage}/_user_request_`;
  const control = new ControlPlane(state, invokeUrl);
  const propagation = new Propagation(state, propagationDelayFromEnv(process.env.SANDBOX_PROPAGATION_MS), options.clock);
  const data = new DataPlane(state, control, () => propagation.current());

  const controlService: SandboxService = {
    name: "apigateway",
    claims: (req) => req.signingName === "apigateway" || CONTROL_PATH.test(req.url.pathname) || req.url.pathname.startsWith("/_sandbox/apigateway/"),
    async handle(req, res) {
      if (req.url.pathname.startsWith("/_sandbox/apigateway/")) return admin(req, res);
      try {
        const match = control.router.match(req.raw.method ?? "GET", req.url);
        if (!match) {
          req.raw.resume();
          throw notFound(`No API Gateway operation for ${req.raw.method} ${req.url.pathname}`);
        }
        const retryAfter = budget.admit(match.operation, ACCESS_KEY.exec(req.raw.headers.authorization ?? "")?.[1]);
        if (retryAfter !== undefined) {
          req.raw.resume();
          throw tooManyRequests(retryAfter);
        }
        const body = await readBody(req.raw);
        let out;
        try {
          out = await match.handler({ params: match.params, query: req.url.searchParams, body, accept: req.raw.headers.accept });
        } finally {
          // Any write may have changed what the data plane lets through: it sees it after the delay.
          if (req.raw.method !== "GET") propagation.changed();
        }
        if (out.raw) {
          const payload = typeof out.raw.body === "string" ? Buffer.from(out.raw.body) : out.raw.body;
          res.writeHead(out.status, { "content-type": out.raw.contentType, "content-disposition": out.raw.disposition, "content-length": payload.byteLength });
          res.end(payload);
        } else {
          sendJson(res, out.status, out.json);
        }
      } catch (error) {
        if (error instanceof ApiGatewayError) return sendApiGatewayError(res, error);
        ctx.log(`apigateway: unexpected error: ${(error as Error).stack ?? String(error)}`);
        sendApiGatewayError(res, new ApiGatewayError("InternalServerError", 500, "Internal server error"));
      }
    },
    writeFault: (res, kind) =>
      sendApiGatewayError(res, kind === "throttle" ? tooManyRequests(1) : serviceUnavailable("Service Unavailable (injected by the sandbox)")),
    close: async () => state.flush(),
  };

  async function admin(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const route = req.url.pathname.slice("/_sandbox/apigateway/".length);
    if (route === "budget" && req.raw.method === "PUT") {
      const input = z.object({ enabled: z.boolean() }).safeParse(JSON.parse((await readBody(req.raw)).toString() || "{}"));
      if (!input.success) return sendJson(res, 400, { message: 'Expected {"enabled": boolean}' });
      budget.enabled = input.data.enabled;
      budget.reset();
    }
    if (route === "budget") return sendJson(res, 200, { enabled: budget.enabled, throttled: budget.throttled });
    if (route === "calls" && req.raw.method === "DELETE") budget.reset();
    if (route === "calls") return sendJson(res, 200, callsReport(budget, req.url.searchParams.has("series"), req.url.searchParams.get("caller")));
    if (route === "propagation" && req.raw.method === "PUT") {
      const input = z.object({ delayMs: z.number().min(0) }).safeParse(JSON.parse((await readBody(req.raw)).toString() || "{}"));
      if (!input.success) return sendJson(res, 400, { message: 'Expected {"delayMs": number ≥ 0}' });
      propagation.delayMs = input.data.delayMs;
    }
    if (route === "propagation") return sendJson(res, 200, { delayMs: propagation.delayMs, pending: propagation.pendingChanges });
    sendJson(res, 404, { message: `Unknown sandbox route ${req.url.pathname}` });
  }

  const dataService: SandboxService = {
    name: "execute-api",
    claims: (req) => USER_REQUEST_PATH.test(req.url.pathname) || EXECUTE_API_HOST.test(req.raw.headers.host ?? ""),
    handle(req, res) {
      const pathStyle = USER_REQUEST_PATH.exec(req.url.pathname);
      if (pathStyle) return data.handle(pathStyle[1]!, pathStyle[2]!, pathStyle[3] ?? "/", req.raw, res);
      const apiId = EXECUTE_API_HOST.exec(req.raw.headers.host ?? "")![1]!;
      const [, stage = "", ...rest] = req.url.pathname.split("/");
      data.handle(apiId, stage, `/${rest.join("/")}`, req.raw, res);
    },
    writeFault: (res, kind) =>
      kind === "throttle"
        ? sendJson(res, 429, { message: "Too Many Requests" }, { "x-amzn-errortype": "TooManyRequestsException" })
        : sendJson(res, 502, { message: "Internal server error" }, { "x-amzn-errortype": "InternalServerErrorException" }),
  };

  return [dataService, controlService];
}

/** The access key id of a SigV4 Authorization header: who is calling. */
const ACCESS_KEY = /Credential=([^/,\s]+)\//;
/** What a caller who sent nothing has admitted: nothing. */
const NO_ADMISSIONS = new AdmissionRecorder();

/**
 * GET /_sandbox/apigateway/calls: every control-plane request since the last reset, per operation
 * (throttled ones too) and how many the budget refused, plus what it admitted second by second —
 * every caller together, as AWS counts them: the most in one calendar second and in any sliding
 * 1-second window. `?series` adds the per-second counts (the last hour, seconds with no request left
 * out); `?caller=<access key id>` gives the admissions of that caller's requests alone.
 */
function callsReport(budget: ControlPlaneBudget, series: boolean, caller: string | null) {
  const admissions = caller === null ? budget.admissions : (budget.byCaller.get(caller) ?? NO_ADMISSIONS);
  return {
    calls: Object.fromEntries(budget.calls),
    throttled: caller === null ? budget.throttled : admissions.throttledCount,
    admitted: admissions.admitted,
    perSecond: {
      maxAdmittedInCalendarSecond: admissions.maxCalendarSecond,
      /** That second, in whole seconds of the Unix epoch (of the injected clock in tests). */
      maxAdmittedCalendarSecondAt: admissions.maxCalendarSecondAt ?? null,
      maxAdmittedInSlidingSecond: admissions.maxSlidingSecond,
      maxThrottledInCalendarSecond: admissions.maxThrottledCalendarSecond,
    },
    ...(series ? { series: admissions.series() } : {}),
  };
}
