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
  /** The stage's sender when `email` is set: the portal never sends mail, but its pages say whether email is on. */
  emailFrom?: string;
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
    ...(v.emailFrom ? { [EMAIL_FROM_ENV]: v.emailFrom } : {}),
    ...limitsEnvironment(v.limits),
  };
}

/** lib/notifications/email-settings.ts reads it. */
export const EMAIL_FROM_ENV = "PORTICO_EMAIL_FROM";

/** The listener accepts notifications only from the topics this stage subscribed to. */
export function marketplaceListenerEnvironment(v: { tableName: string; topicArns: readonly string[]; limits: Limits }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, MARKETPLACE_TOPIC_ARNS: v.topicArns.join(","), ...limitsEnvironment(v.limits) };
}

export function jobEnvironment(v: { tableName: string; limits: Limits }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, ...limitsEnvironment(v.limits) };
}

/** What infra/email.ts set up for the stage's mail, when its settings have `email`. */
export interface EmailValues {
  from: string;
  configurationSet: string;
}

/**
 * The notifier job: a job's environment, plus the portal's URL and link-signing secret (the web's
 * AUTH_URL and AUTH_SECRET: unsubscribe links and links back into the portal) and, with email on,
 * the sender and the configuration set (lib/notifications/email-settings.ts); without them it
 * sends webhooks only.
 */
export function notifierEnvironment(v: {
  tableName: string;
  limits: Limits;
  siteUrl: string;
  authSecret: string;
  email?: EmailValues;
}): Record<string, string> {
  return {
    ...jobEnvironment(v),
    AUTH_URL: v.siteUrl,
    AUTH_SECRET: v.authSecret,
    ...(v.email ? { PORTICO_EMAIL_FROM: v.email.from, PORTICO_SES_CONFIGURATION_SET: v.email.configurationSet } : {}),
  };
}

/** The bounce and complaint listener accepts events only from the stage's feedback topic. */
export function sesFeedbackEnvironment(v: { tableName: string; topicArn: string }): Record<string, string> {
  return { PORTICO_TABLE: v.tableName, SES_FEEDBACK_TOPIC_ARN: v.topicArn };
}
