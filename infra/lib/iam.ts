/**
 * IAM statements for each piece of Portico, built from plain strings so that tests can prove
 * them least-privilege: named actions only (never `service:*`) on named resources (never `*`,
 * except ResolveCustomer, which has no resource-level permissions).
 * The shape is SST's `FunctionPermissionArgs`, so the statements go straight into `permissions`.
 *
 * Grants are derived, not written: CALLS lists the AWS SDK commands each piece sends, and
 * SDK_PERMISSIONS says what IAM needs for each. tests/infra/iam.test.ts reads the code each piece
 * runs (its entry point and everything it imports) and fails when a list names a command the code
 * never sends, or misses one it does.
 */

import { JOBS, type JobName } from "../../functions/jobs";

export interface Statement {
  effect?: "allow" | "deny";
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The audit log's partition (lib/db/keys.ts AUDIT_PK, written by lib/audit): appended to, never changed or removed. */
export const AUDIT_PARTITION = "AUDIT";

export interface AccountScope {
  partition: string;
  region: string;
}

/**
 * What a command acts on: the portal's table (Query also its indexes), the user pool, the audit archive, the CloudFront
 * distribution, the SES sending identity (with the configuration set its mail names), an API Gateway path, or anything.
 */
type Target = "table" | "table+indexes" | "userPool" | "auditArchive" | "distribution" | "emailIdentity" | "*" | { apigateway: string };

const cognito = (operation: string) => [`cognito-idp:${operation}`, "userPool"] as const;

/**
 * The IAM action and resource each SDK command needs. API Gateway's control plane authorizes by
 * HTTP method on the resource path (`*` for an id), so each of its commands names both.
 */
export const SDK_PERMISSIONS = {
  // DynamoDB through the document client (lib/db). Query reaches the indexes too.
  GetCommand: ["dynamodb:GetItem", "table"],
  PutCommand: ["dynamodb:PutItem", "table"],
  UpdateCommand: ["dynamodb:UpdateItem", "table"],
  DeleteCommand: ["dynamodb:DeleteItem", "table"],
  BatchWriteCommand: ["dynamodb:BatchWriteItem", "table"],
  BatchGetCommand: ["dynamodb:BatchGetItem", "table"],
  QueryCommand: ["dynamodb:Query", "table+indexes"],
  ScanCommand: ["dynamodb:Scan", "table"],
  // API Gateway control plane (lib/apigateway)
  GetApiKeysCommand: ["apigateway:GET", { apigateway: "/apikeys" }],
  GetApiKeyCommand: ["apigateway:GET", { apigateway: "/apikeys/*" }],
  CreateApiKeyCommand: ["apigateway:POST", { apigateway: "/apikeys" }],
  UpdateApiKeyCommand: ["apigateway:PATCH", { apigateway: "/apikeys/*" }],
  DeleteApiKeyCommand: ["apigateway:DELETE", { apigateway: "/apikeys/*" }],
  GetUsagePlansCommand: ["apigateway:GET", { apigateway: "/usageplans" }],
  GetUsagePlanKeysCommand: ["apigateway:GET", { apigateway: "/usageplans/*/keys" }],
  GetUsagePlanKeyCommand: ["apigateway:GET", { apigateway: "/usageplans/*/keys/*" }],
  CreateUsagePlanKeyCommand: ["apigateway:POST", { apigateway: "/usageplans/*/keys" }],
  DeleteUsagePlanKeyCommand: ["apigateway:DELETE", { apigateway: "/usageplans/*/keys/*" }],
  GetUsageCommand: ["apigateway:GET", { apigateway: "/usageplans/*/usage" }],
  GetRestApisCommand: ["apigateway:GET", { apigateway: "/restapis" }],
  GetExportCommand: ["apigateway:GET", { apigateway: "/restapis/*/stages/*/exports/*" }],
  GetSdkCommand: ["apigateway:GET", { apigateway: "/restapis/*/stages/*/sdks/*" }],
  // Cognito user administration (lib/cognito)
  AdminGetUserCommand: cognito("AdminGetUser"),
  AdminListGroupsForUserCommand: cognito("AdminListGroupsForUser"),
  AdminAddUserToGroupCommand: cognito("AdminAddUserToGroup"),
  AdminRemoveUserFromGroupCommand: cognito("AdminRemoveUserFromGroup"),
  AdminDisableUserCommand: cognito("AdminDisableUser"),
  AdminEnableUserCommand: cognito("AdminEnableUser"),
  AdminUserGlobalSignOutCommand: cognito("AdminUserGlobalSignOut"),
  AdminCreateUserCommand: cognito("AdminCreateUser"),
  AdminDeleteUserCommand: cognito("AdminDeleteUser"),
  // Marketplace Metering (lib/metering): ResolveCustomer supports no resource-level permissions, `*` is the only resource IAM accepts.
  ResolveCustomerCommand: ["aws-marketplace:ResolveCustomer", "*"],
  // The audit archive (lib/s3, for lib/audit/archive.ts): create-only writes; retention comes from the bucket.
  PutObjectCommand: ["s3:PutObject", "auditArchive"],
  // The docs' CDN copies after a catalog change (lib/cloudfront): the portal's own distribution only.
  CreateInvalidationCommand: ["cloudfront:CreateInvalidation", "distribution"],
  // Notices by email (lib/ses): SES authorizes SendEmail on the sending identity and on the configuration set the message names.
  SendEmailCommand: ["ses:SendEmail", "emailIdentity"],
} as const satisfies Record<string, readonly [string, Target]>;

export type SdkCommand = keyof typeof SDK_PERMISSIONS;

/** The scheduled jobs' commands, listed with the rest of each job in functions/jobs.ts. */
const JOB_CALLS = Object.fromEntries(Object.entries(JOBS).map(([name, job]) => [name, job.calls])) as { [N in JobName]: (typeof JOBS)[N]["calls"] };

/**
 * The commands each deployed piece sends: the web server (app/ and what it imports) and each functions/*.ts.
 * Every piece that calls API Gateway also reads and writes the shared limiter's rows (GetCommand,
 * UpdateCommand on `LIMIT#…`, lib/db/rate-buckets.ts); tests/infra/iam.test.ts checks it reaches them.
 */
export const CALLS = {
  web: [
    "GetCommand",
    "PutCommand",
    "UpdateCommand",
    "DeleteCommand",
    "BatchWriteCommand",
    "BatchGetCommand",
    "QueryCommand",
    "GetApiKeyCommand",
    "CreateApiKeyCommand",
    "UpdateApiKeyCommand",
    "DeleteApiKeyCommand",
    "GetUsagePlansCommand",
    "GetUsagePlanKeyCommand",
    "CreateUsagePlanKeyCommand",
    "DeleteUsagePlanKeyCommand",
    "GetUsageCommand",
    "GetRestApisCommand",
    "GetExportCommand",
    "GetSdkCommand",
    "AdminGetUserCommand",
    "AdminListGroupsForUserCommand",
    "AdminAddUserToGroupCommand",
    "AdminRemoveUserFromGroupCommand",
    "AdminDisableUserCommand",
    "AdminEnableUserCommand",
    "AdminUserGlobalSignOutCommand",
    "AdminCreateUserCommand",
    "AdminDeleteUserCommand",
    "ResolveCustomerCommand",
    "CreateInvalidationCommand",
  ],
  // Moves a buyer's key between plans; it never creates, renames or deletes a key.
  "marketplace-listener": [
    "GetCommand",
    "PutCommand",
    "UpdateCommand",
    "DeleteCommand",
    "QueryCommand",
    "GetUsagePlanKeyCommand",
    "CreateUsagePlanKeyCommand",
    "DeleteUsagePlanKeyCommand",
    "GetUsageCommand",
  ],
  ...JOB_CALLS,
  // Copies audit rows from the table's stream into the locked bucket; it reads nothing else.
  "audit-archiver": ["PutObjectCommand"],
  // SES bounce and complaint events → a suppression row and its audit entry (create-only puts).
  "ses-feedback": ["PutCommand"],
} as const satisfies Record<string, readonly SdkCommand[]>;

export type Piece = keyof typeof CALLS;

export interface Resources {
  scope: AccountScope;
  tableArn?: string;
  indexNames?: readonly string[];
  userPoolArn?: string;
  archiveBucketArn?: string;
  distributionArn?: string;
  /** The verified SES identity the portal sends from (`arn:…:ses:…:identity/example.com`). */
  emailIdentityArn?: string;
  /** The SES configuration set its mail names (bounce and complaint events). */
  configurationSetArn?: string;
}

function resourcesOf(target: Target, r: Resources): string[] {
  const need = <T>(value: T | undefined, what: string): T => value ?? fail(`a command needs ${what}, which was not given`);
  if (typeof target === "object") return [`arn:${r.scope.partition}:apigateway:${r.scope.region}::${target.apigateway}`];
  switch (target) {
    case "table":
      return [need(r.tableArn, "the table")];
    case "table+indexes":
      return [need(r.tableArn, "the table"), ...need(r.indexNames, "the index names").map((name) => `${r.tableArn}/index/${name}`)];
    case "userPool":
      return [need(r.userPoolArn, "the user pool")];
    case "auditArchive":
      return [`${need(r.archiveBucketArn, "the audit archive")}/*`];
    case "distribution":
      return [need(r.distributionArn, "the CloudFront distribution")];
    case "emailIdentity":
      return [need(r.emailIdentityArn, "the SES identity"), ...(r.configurationSetArn ? [r.configurationSetArn] : [])];
    case "*":
      return ["*"];
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** Append-only audit log: new entries are conditional puts; nothing may update or delete one. */
export function auditAppendOnly(tableArn: string): Statement {
  return {
    effect: "deny",
    actions: ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
    resources: [tableArn],
    conditions: [{ test: "ForAnyValue:StringEquals", variable: "dynamodb:LeadingKeys", values: [AUDIT_PARTITION] }],
  };
}

/**
 * Exactly what `calls` need: one statement per set of resources, holding every action granted on
 * it. DynamoDB access always comes with the audit log's deny. A deny can't stop a PutItem from
 * overwriting an audit row (IAM has no condition key for "the item does not exist"); the stream
 * archive (infra/audit.ts) is what keeps the original.
 */
export function statementsFor(calls: readonly SdkCommand[], r: Resources): Statement[] {
  const byAction = new Map<string, string[]>();
  for (const call of calls) {
    const [action, target] = SDK_PERMISSIONS[call];
    byAction.set(action, [...new Set([...(byAction.get(action) ?? []), ...resourcesOf(target, r)])]);
  }
  const byResources = new Map<string, Statement>();
  for (const [action, resources] of byAction) {
    const key = resources.join(" ");
    const statement = byResources.get(key) ?? { actions: [], resources };
    statement.actions.push(action);
    byResources.set(key, statement);
  }
  const statements = [...byResources.values()];
  if (r.tableArn && [...byAction.keys()].some((a) => a.startsWith("dynamodb:"))) statements.push(auditAppendOnly(r.tableArn));
  return statements;
}

export interface PortalResources {
  scope: AccountScope;
  tableArn: string;
  indexNames: readonly string[];
  userPoolArn: string;
  /** The Router's distribution, whose docs copies the portal invalidates. */
  distributionArn: string;
  marketplace: boolean;
}

/** The Next.js server function: every feature of the portal, on request paths. ResolveCustomer only with Marketplace on. */
export function webStatements(r: PortalResources): Statement[] {
  return statementsFor(r.marketplace ? CALLS.web : CALLS.web.filter((c) => c !== "ResolveCustomerCommand"), r);
}

/** A job that sends email (SendEmailCommand) also names the SES identity and configuration set. */
export type JobResources = Pick<PortalResources, "scope" | "tableArn" | "indexNames"> & Pick<Resources, "emailIdentityArn" | "configurationSetArn">;

export const marketplaceListenerStatements = (r: JobResources) => statementsFor(CALLS["marketplace-listener"], r);

/** Commands that act on the SES identity: granted only on a stage with email (settings `email`), where there is one. */
const needsEmail = (call: SdkCommand) => SDK_PERMISSIONS[call][1] === "emailIdentity";

/** A job's calls; without an SES identity (email off), none of its email calls. */
export const jobStatements = (name: JobName, r: JobResources) =>
  statementsFor(
    CALLS[name].filter((call) => r.emailIdentityArn !== undefined || !needsEmail(call)),
    r,
  );

/** The bounce and complaint listener: its table writes only. */
export const sesFeedbackStatements = (r: Pick<PortalResources, "scope" | "tableArn">) => statementsFor(CALLS["ses-feedback"], r);

/** Reading the table's stream, which Lambda's event source mapping does with the function's role. */
export const STREAM_READ_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

/** The audit archiver: reads the table's stream and writes new objects to the archive; no delete, no retention changes. */
export function auditArchiverStatements(r: { scope: AccountScope; streamArn: string; archiveBucketArn: string }): Statement[] {
  return [{ actions: STREAM_READ_ACTIONS, resources: [r.streamArn] }, ...statementsFor(CALLS["audit-archiver"], r)];
}
