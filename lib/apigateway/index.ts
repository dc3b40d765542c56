export { exportStage, generateSdk, listRestApis, listUsagePlans } from "./catalog";
export { apigateway, getControlPlaneStats, resetControlPlaneStats, type ControlPlaneStats } from "./client";
export { SDK_TYPES, type ExportedSpec, type PlanTerms, type RestApiSummary, type SdkType } from "./types";
