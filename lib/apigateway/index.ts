export { exportStage, generateSdk, listRestApis, listUsagePlans } from "./catalog";
export { apigateway, getControlPlaneStats, resetControlPlaneStats, type ControlPlaneStats } from "./client";
export {
  addKeyToPlan,
  createApiKey,
  deleteApiKey,
  getApiKeyValue,
  getKeyUsage,
  getPlanKeysUsage,
  isKeyInPlan,
  listApiKeys,
  listPlanKeyIds,
  removeKeyFromPlan,
  renameApiKey,
  setApiKeyEnabled,
  type ApiKeySummary,
  type NewApiKey,
} from "./keys";
export { SDK_TYPES, type ExportedSpec, type PlanTerms, type RestApiSummary, type SdkType } from "./types";
