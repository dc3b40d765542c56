import { DISTRIBUTION_ENV } from "../../lib/cloudfront/docs-cache";
import { LIMITS_ENV, type Limits } from "../../lib/limits/settings";
import { issuerUrl } from "./cognito";

/**
 * The environment each piece of Portico runs with in AWS: the same variables the local sandbox
 * sets (local/run.ts) and lib/config.ts validates, filled from the stage's resources and secrets.
 * AWS_REGION is absent on purpose: Lambda sets it and rejects functions that try to.
 */

/**
 * The stage's limits (stage setting `limits`, validated by infra/lib/settings.ts), for every process
 * that calls API Gateway: each reads them with lib/limits/settings.ts, so they all pace against the
 * same control-plane share and count the same portal limits.
 */
const limitsEnvironment = (limits: Limits): Record<string, string> => ({ [LIMITS_ENV]: JSON.stringify(limits) });

export interface WebValues {
  tableName: string;
  authSecret: string;
  siteUrl: string;
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  loginUrl: string;
  /** auth.selfSignUp: false when the user pool lets only admins create accounts. */
  selfSignUp: boolean;
  limits: Limits;
  /** The Router's CloudFront distribution: the portal invalidates its docs copies when the catalog changes. */
  distributionId: string;
}

export function webEnvironment(v: WebValues): Record<string, string> {
  return {
    PORTICO_TABLE: v.tableName,
    AUTH_SECRET: v.authSecret,
    AUTH_URL: v.siteUrl,
    COGNITO_ISSUER: issuerUrl(v.region, v.userPoolId),
    COGNITO_CLIENT_ID: v.clientId,
    COGNITO_CLIENT_SECRET: v.clientSecret,
    COGNITO_USER_POOL_ID: v.userPoolId,
    COGNITO_DOMAIN_URL: v.loginUrl,
    PORTICO_SELF_SIGN_UP: String(v.selfSignUp),
    [DISTRIBUTION_ENV]: v.distributionId,
    ...limitsEnvironment(v.limits),
  };
}

/** The listener accepts notifications only from the topics this stage subscribed to. */
export function marketplaceListenerEnvironment(v: { tableName: string; topicArns: readonly string[]; limits: Limits }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, MARKETPLACE_TOPIC_ARNS: v.topicArns.join(","), ...limitsEnvironment(v.limits) };
}

export function jobEnvironment(v: { tableName: string; limits: Limits }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, ...limitsEnvironment(v.limits) };
}
