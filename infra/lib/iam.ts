/**
 * IAM statements for each piece of Portico, built from plain strings so that tests can prove
 * them least-privilege: named actions only (never `service:*`) on named resources (never `*`,
 * except ResolveCustomer, which has no resource-level permissions).
 * The shape is SST's `FunctionPermissionArgs`, so the statements go straight into `permissions`.
 */

export interface Statement {
  effect?: "allow" | "deny";
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The audit log's partition (lib/audit): appended to, never changed or removed. */
export const AUDIT_PARTITION = "AUDIT";

export interface AccountScope {
  partition: string;
  region: string;
}

/** Item-level actions the Auth.js adapter and the portal's rows need; no Scan on a request path. */
const TABLE_ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  // TransactWriteItems is authorized per item through these, ConditionCheck included.
  "dynamodb:ConditionCheckItem",
];

/**
 * The portal's table and its indexes, nothing else (no streams, backups or other tables).
 * `scan` is for batch jobs only: request paths must not Scan.
 */
export function tableStatements(tableArn: string, indexNames: readonly string[], options: { scan?: boolean } = {}): Statement[] {
  const read = options.scan ? ["dynamodb:Query", "dynamodb:Scan"] : ["dynamodb:Query"];
  return [
    { actions: options.scan ? [...TABLE_ITEM_ACTIONS, "dynamodb:Scan"] : TABLE_ITEM_ACTIONS, resources: [tableArn] },
    { actions: read, resources: indexNames.map((name) => `${tableArn}/index/${name}`) },
    // Append-only audit log: new entries are conditional puts; nothing may update or delete one.
    {
      effect: "deny",
      actions: ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
      resources: [tableArn],
      conditions: [{ test: "ForAnyValue:StringEquals", variable: "dynamodb:LeadingKeys", values: [AUDIT_PARTITION] }],
    },
  ];
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * The API Gateway control-plane paths Portico calls, per method: keys, usage plans, plan keys,
 * usage, exports and SDKs. Notably absent: creating or deleting REST APIs or usage plans,
 * deleting a plan (only a key's membership in it), and every other API Gateway path.
 */
export const API_GATEWAY_PATHS: Record<HttpMethod, readonly string[]> = {
  // GetApiKeys/GetApiKey; GetUsagePlans/GetUsagePlan/GetUsagePlanKeys/GetUsage; GetRestApis/GetStages/GetExport/GetSdk
  GET: ["/apikeys", "/apikeys/*", "/usageplans", "/usageplans/*", "/restapis", "/restapis/*"],
  // CreateApiKey; CreateUsagePlanKey
  POST: ["/apikeys", "/usageplans/*/keys"],
  // UpdateApiKey (enable, rename); UpdateUsagePlan (productCode)
  PATCH: ["/apikeys/*", "/usageplans/*"],
  // DeleteApiKey; DeleteUsagePlanKey
  DELETE: ["/apikeys/*", "/usageplans/*/keys/*"],
};

export function apiGatewayStatements(scope: AccountScope, methods: readonly HttpMethod[] = ["GET", "POST", "PATCH", "DELETE"]): Statement[] {
  return methods.map((method) => ({
    actions: [`apigateway:${method}`],
    resources: API_GATEWAY_PATHS[method].map((path) => `arn:${scope.partition}:apigateway:${scope.region}::${path}`),
  }));
}

/** What the admin pages do with users (look up, groups, disable, sign out) and what account deletion needs. */
const USER_POOL_ADMIN_ACTIONS = [
  "cognito-idp:ListUsers",
  "cognito-idp:ListUsersInGroup",
  "cognito-idp:AdminGetUser",
  "cognito-idp:AdminListGroupsForUser",
  "cognito-idp:AdminAddUserToGroup",
  "cognito-idp:AdminRemoveUserFromGroup",
  "cognito-idp:AdminDisableUser",
  "cognito-idp:AdminEnableUser",
  "cognito-idp:AdminUserGlobalSignOut",
  // Invitations (invite-only registration): create, resend, and cancel an unused one.
  "cognito-idp:AdminCreateUser",
  // "Delete my account" removes the user's sign-in account too.
  "cognito-idp:AdminDeleteUser",
];

export function userPoolStatements(userPoolArn: string): Statement[] {
  return [{ actions: USER_POOL_ADMIN_ACTIONS, resources: [userPoolArn] }];
}

/** ResolveCustomer supports no resource-level permissions: `*` is the only resource IAM accepts. */
export const RESOLVE_CUSTOMER: Statement = { actions: ["aws-marketplace:ResolveCustomer"], resources: ["*"] };

export interface PortalResources {
  scope: AccountScope;
  tableArn: string;
  indexNames: readonly string[];
  userPoolArn: string;
  marketplace: boolean;
}

/** The Next.js server function: every feature of the portal, on request paths. */
export function webStatements(r: PortalResources): Statement[] {
  return [
    ...tableStatements(r.tableArn, r.indexNames),
    ...apiGatewayStatements(r.scope),
    ...userPoolStatements(r.userPoolArn),
    ...(r.marketplace ? [RESOLVE_CUSTOMER] : []),
  ];
}

export type JobResources = Pick<PortalResources, "scope" | "tableArn" | "indexNames">;

/** Marketplace notifications: subscribe/unsubscribe turn a buyer's key on or off and move it between plans. */
export function marketplaceListenerStatements(r: JobResources): Statement[] {
  return [...tableStatements(r.tableArn, r.indexNames), ...apiGatewayStatements(r.scope)];
}

/** The key-rotation sweeper disables and deletes expired keys; it never creates one. */
export function keySweeperStatements(r: JobResources): Statement[] {
  return [...tableStatements(r.tableArn, r.indexNames), ...apiGatewayStatements(r.scope, ["GET", "PATCH", "DELETE"])];
}

/** The usage collector reads usage plans and usage (GET only) and stores the figures in users' partitions. */
export function usageCollectorStatements(r: JobResources): Statement[] {
  return [...tableStatements(r.tableArn, r.indexNames), ...apiGatewayStatements(r.scope, ["GET"])];
}

/** The reconciler walks every row (Scan is fine off the request path) and repairs API Gateway to match. */
export function reconcilerStatements(r: JobResources): Statement[] {
  return [...tableStatements(r.tableArn, r.indexNames, { scan: true }), ...apiGatewayStatements(r.scope)];
}
