import { writeFileSync } from "node:fs";
import path from "node:path";
import { SANDBOX_CREDENTIALS } from "./context";
import { Faults } from "./faults";
import { startSandbox, type Sandbox } from "./sandbox";
import { seed, type SeedResult } from "./seed";
import { authSecret, SANDBOX_EMAIL_FROM, stateDir, type PortalSettings } from "./settings";

export interface RunningSandbox {
  sandbox: Sandbox;
  seeded: SeedResult;
  /** Environment that points the portal (and any AWS SDK or CLI) at the sandbox. */
  env: PortalSettings;
}

/** Starts the sandbox, seeds it, and writes `.sandbox/endpoints.json` for tools and people. */
export async function runSandbox(options: { root: string; port: number; portalUrl: string; quiet?: boolean }): Promise<RunningSandbox> {
  const dir = stateDir(options.root);
  const sandbox = await startSandbox({
    port: options.port,
    stateDir: dir,
    root: options.root,
    faults: Faults.fromEnv(process.env.SANDBOX_FAULTS),
    quiet: options.quiet,
    schedule: process.env.SANDBOX_SCHEDULE !== "off",
    portalUrl: options.portalUrl,
  });
  // The seed stands for what the owner deployed before: its calls neither wait for the control-plane
  // budget (ImportRestApi is 1 per 3 s) nor spend what the developer then works within (e.g. the one
  // UpdateUsagePlan per 20 s that setting the seed's product code takes).
  const budget = `${sandbox.url}/_sandbox/apigateway/budget`;
  const setBudget = async (enabled: boolean) =>
    (await (await fetch(budget, { method: "PUT", body: JSON.stringify({ enabled }) })).json()) as { enabled: boolean };
  const { enabled } = (await (await fetch(budget)).json()) as { enabled: boolean };
  await setBudget(false);
  const seeded = await seed(sandbox.context, options.portalUrl);
  await setBudget(enabled); // which also clears the seed's calls from the counters
  const env: PortalSettings = {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: sandbox.context.region,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1",
    PORTICO_TABLE: seeded.table,
    COGNITO_ISSUER: seeded.cognito.issuer,
    COGNITO_CLIENT_ID: seeded.cognito.clientId,
    COGNITO_USER_POOL_ID: seeded.cognito.userPoolId,
    COGNITO_DOMAIN_URL: sandbox.url,
    AUTH_SECRET: authSecret(dir),
    AUTH_URL: options.portalUrl,
    PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1",
    PORTICO_EMAIL_FROM: SANDBOX_EMAIL_FROM,
  };
  const endpoints = {
    edge: sandbox.url,
    region: sandbox.context.region,
    accountId: sandbox.context.accountId,
    services: {
      apigateway: sandbox.url,
      "execute-api": `${sandbox.url}/restapis/{restApiId}/{stage}/_user_request_/`,
      dynamodb: sandbox.url,
      "cognito-idp": sandbox.url,
      "aws-marketplace": sandbox.url,
      sns: sandbox.url,
      ses: sandbox.url,
    },
    // Every email the portal sends through SES lands here (HTML for people, JSON for tests).
    mailbox: { page: `${sandbox.url}/_sandbox/ses/mailbox`, messages: `${sandbox.url}/_sandbox/ses/messages`, events: `${sandbox.url}/_sandbox/ses/events` },
    openidConfiguration: `${seeded.cognito.issuer}/.well-known/openid-configuration`,
    buyerPage: buyerPage(sandbox, seeded, options.portalUrl),
    marketplace: {
      // functions/marketplace-listener.ts is subscribed to these and gets them as MARKETPLACE_TOPIC_ARNS.
      topicArns: seeded.marketplace.topicArns,
      notify: `${sandbox.url}/_sandbox/marketplace/notify`,
      customers: `${sandbox.url}/_sandbox/marketplace/customers`,
    },
    faults: `${sandbox.url}/_sandbox/faults`,
    scheduler: `${sandbox.url}/_sandbox/scheduler`,
    portal: options.portalUrl,
    cognito: seeded.cognito,
    table: seeded.table,
    apis: seeded.apis,
    usagePlans: seeded.usagePlans,
    users: seeded.users,
    env: { ...env, AUTH_SECRET: "(in .sandbox/auth-secret)" },
  };
  writeFileSync(path.join(dir, "endpoints.json"), JSON.stringify(endpoints, null, 2));
  return { sandbox, seeded, env };
}

/** The buyer page, prefilled with the first plan sold on Marketplace and this portal's fulfillment URL. */
function buyerPage(sandbox: Sandbox, seeded: SeedResult, portalUrl: string): string {
  const productCode = seeded.usagePlans.find((p) => p.productCode)?.productCode;
  const query = new URLSearchParams({ ...(productCode ? { productCode } : {}), fulfillmentUrl: `${portalUrl}/marketplace/confirm` });
  return `${sandbox.url}/buyer?${query}`;
}

export function banner({ sandbox, seeded }: RunningSandbox, portalUrl: string): string {
  const users = seeded.users.map((u) => `    ${u.username.padEnd(22)} ${u.password.padEnd(18)} ${u.groups.includes("admins") ? "admin" : "user"}`);
  return [
    "",
    `  Portico sandbox   ${sandbox.url}   (AWS_ENDPOINT_URL for any AWS SDK or CLI)`,
    `  Portal            ${portalUrl}`,
    `  Buyer page        ${buyerPage(sandbox, seeded, portalUrl)}`,
    `  State             ${path.relative(process.cwd(), sandbox.context.stateDir) || "."}/ (npm run sandbox:reset clears it)`,
    "  Sign in with:",
    ...users,
    "",
  ].join("\n");
}
