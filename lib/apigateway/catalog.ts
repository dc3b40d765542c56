import { GetExportCommand, GetRestApisCommand, GetSdkCommand, GetUsagePlansCommand, type UsagePlan } from "@aws-sdk/client-api-gateway";
import { AppError } from "../errors";
import { apigateway } from "./client";
import { isSdkType, SDK_TYPES, type ExportedSpec, type PlanTerms, type RestApiSummary, type SdkType } from "./types";

function toPlanTerms(plan: UsagePlan): PlanTerms {
  return {
    id: plan.id!,
    name: plan.name ?? plan.id!,
    ...(plan.description ? { description: plan.description } : {}),
    ...(plan.throttle ? { throttle: { rateLimit: plan.throttle.rateLimit, burstLimit: plan.throttle.burstLimit } } : {}),
    ...(plan.quota?.limit !== undefined && plan.quota.period
      ? { quota: { limit: plan.quota.limit, period: plan.quota.period as "DAY" | "WEEK" | "MONTH", offset: plan.quota.offset ?? 0 } }
      : {}),
    apiStages: (plan.apiStages ?? []).map((s) => ({ apiId: s.apiId!, stage: s.stage! })),
    ...(plan.productCode ? { productCode: plan.productCode } : {}),
    tags: plan.tags ?? {},
  };
}

/** Every usage plan in the account (paged, 500 at a time: one call for most accounts). */
export async function listUsagePlans(): Promise<PlanTerms[]> {
  const plans: PlanTerms[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(new GetUsagePlansCommand({ limit: 500, position }));
    plans.push(...(page.items ?? []).map(toPlanTerms));
    position = page.position;
  } while (position);
  return plans;
}

export async function listRestApis(): Promise<RestApiSummary[]> {
  const apis: RestApiSummary[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(new GetRestApisCommand({ limit: 500, position }));
    for (const api of page.items ?? []) {
      apis.push({
        id: api.id!,
        name: api.name ?? api.id!,
        ...(api.description ? { description: api.description } : {}),
        ...(api.version ? { version: api.version } : {}),
      });
    }
    position = page.position;
  } while (position);
  return apis;
}

/** GetExport as OpenAPI 3 JSON, without API Gateway's integration extensions. */
export async function exportStage(apiId: string, stage: string): Promise<ExportedSpec> {
  const out = await apigateway.send(new GetExportCommand({ restApiId: apiId, stageName: stage, exportType: "oas30", accepts: "application/json" }));
  const text = Buffer.from(out.body ?? new Uint8Array()).toString("utf8");
  const servers = (JSON.parse(text) as { servers?: { url: string; variables?: Record<string, { default: string }> }[] }).servers;
  const server = servers?.[0];
  const invokeUrl = server?.url.replace(/\{(\w+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? "");
  return { text, ...(invokeUrl ? { invokeUrl: invokeUrl.replace(/\/$/, "") } : {}) };
}

/** GetSdk: a zip of a generated client for one stage. */
export async function generateSdk(apiId: string, stage: string, type: SdkType): Promise<Uint8Array> {
  // Never spend a control-plane call on a type API Gateway can't generate (a failed call isn't cached).
  if (!isSdkType(type)) throw new AppError("not_found", "There is no such SDK.");
  const out = await apigateway.send(new GetSdkCommand({ restApiId: apiId, stageName: stage, sdkType: type, parameters: { ...SDK_TYPES[type].parameters } }));
  return out.body ?? new Uint8Array();
}
