export { inBackground, currentPriority, type Priority } from "./priority";
export { getLimits, parseLimits, limitsSchema, LIMITS_ENV, type Limits, type LimitsInput, type PortalAction } from "./settings";
export { enforcePortalLimit, clientIp, VIEWER_IP_HEADER } from "./portal";
