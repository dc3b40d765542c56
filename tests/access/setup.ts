import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { seed, type SeedResult } from "@/local/seed";
import type { SubscribeTarget } from "@/lib/catalog/types";
import { startTestSandbox } from "../sandbox/harness";

export type AccessLib = typeof import("@/lib/access") &
  typeof import("@/lib/apigateway") &
  typeof import("@/lib/access/rows") &
  typeof import("@/lib/db/items");

/**
 * A seeded sandbox with the portal's environment pointed at it, and lib/access loaded after that
 * (its AWS clients read the endpoint when first imported). Each test file gets its own.
 */
export async function startAccessSandbox(options: { budget?: boolean } = {}) {
  const sandbox = await startTestSandbox();
  await fetch(`${sandbox.url}/_sandbox/apigateway/budget`, { method: "PUT", body: JSON.stringify({ enabled: options.budget ?? false }) });
  const seeded: SeedResult = await seed(sandbox.context, "http://localhost:3000");
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: SANDBOX_REGION,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    PORTICO_TABLE: seeded.table,
  });
  const lib: AccessLib = {
    ...(await import("@/lib/access")),
    ...(await import("@/lib/apigateway")),
    ...(await import("@/lib/access/rows")),
    ...(await import("@/lib/db/items")),
  };
  const { buildCatalog } = await import("@/lib/catalog/catalog");
  const catalog = await buildCatalog();
  const target = (slug: string): SubscribeTarget => {
    const product = catalog.products.find((p) => p.slug === slug);
    if (!product) throw new Error(`no product ${slug}`);
    return {
      planId: product.plan.id,
      productSlug: product.slug,
      productName: product.name,
      approvalRequired: product.approvalRequired,
      apiStages: product.plan.apiStages,
    };
  };
  const apiOf = (slug: string) => catalog.apis.find((a) => a.slug === slug)!;

  /** Calls an API stage through the sandbox's data plane with a key, as a developer's app would. */
  async function callApi(slug: "pets" | "weather", key: string): Promise<number> {
    const api = apiOf(slug);
    const path = slug === "pets" ? "/pets" : "/current?city=Lisbon";
    const response = await fetch(`${api.invokeUrl}${path}`, { headers: { "x-api-key": key } });
    await response.arrayBuffer();
    return response.status;
  }

  async function faults(apigateway: Record<string, number> | null) {
    await fetch(`${sandbox.url}/_sandbox/faults`, apigateway ? { method: "PUT", body: JSON.stringify({ apigateway }) } : { method: "DELETE" });
  }

  /** What lib/auth and lib/users read besides the table: the seeded user pool and a test secret. */
  const authEnv = {
    AUTH_SECRET: "x".repeat(32),
    AUTH_URL: "http://localhost:3000",
    COGNITO_ISSUER: seeded.cognito.issuer,
    COGNITO_CLIENT_ID: seeded.cognito.clientId,
    COGNITO_USER_POOL_ID: seeded.cognito.userPoolId,
    COGNITO_DOMAIN_URL: sandbox.url,
  };

  return { sandbox, seeded, lib, catalog, target, callApi, faults, authEnv, stop: () => sandbox.stop() };
}

/**
 * A user as sign-up leaves them: what Auth.js's adapter and createUser event write (the user row
 * and a profile), plus their Cognito account. The clients are imported late, as lib's are.
 */
export async function registerUser(
  env: { seeded: SeedResult },
  label: string,
  options: { name?: string; status?: "active" | "pending" } = {},
): Promise<{ id: string; email: string }> {
  const user = newUser(label);
  const name = options.name ?? `${label} tester`;
  const { db } = await import("@/lib/db/client");
  const { updateProfile } = await import("@/lib/db/profiles");
  const { AdminCreateUserCommand, CognitoIdentityProviderClient } = await import("@aws-sdk/client-cognito-identity-provider");
  const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
  await db.send(
    new PutCommand({
      TableName: env.seeded.table,
      Item: {
        pk: `USER#${user.id}`,
        sk: `USER#${user.id}`,
        type: "USER",
        id: user.id,
        email: user.email,
        name,
        GSI1PK: `USER#${user.email}`,
        GSI1SK: `USER#${user.email}`,
      },
    }),
  );
  await updateProfile(user.id, {}, { create: { email: user.email, name, status: options.status ?? "active" } });
  await new CognitoIdentityProviderClient({}).send(
    new AdminCreateUserCommand({
      UserPoolId: env.seeded.cognito.userPoolId,
      Username: user.email,
      UserAttributes: [{ Name: "email", Value: user.email }],
      MessageAction: "SUPPRESS",
    }),
  );
  return user;
}

let counter = 0;
/** A user the portal has never seen: its own partition, no rows. */
export function newUser(label = "user") {
  counter += 1;
  const id = `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  return { id, email: `${id}@example.com` };
}
