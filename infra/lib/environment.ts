import { issuerUrl } from "./cognito";

/**
 * The environment each piece of Portico runs with in AWS: the same variables the local sandbox
 * sets (local/run.ts) and lib/config.ts validates, filled from the stage's resources and secrets.
 * AWS_REGION is absent on purpose: Lambda sets it and rejects functions that try to.
 */

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
  };
}

/** The listener accepts notifications only from the topics this stage subscribed to. */
export function marketplaceListenerEnvironment(v: { tableName: string; topicArns: readonly string[] }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, MARKETPLACE_TOPIC_ARNS: v.topicArns.join(",") };
}

export function jobEnvironment(v: { tableName: string }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName };
}
