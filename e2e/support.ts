import { APIGatewayClient, GetApiKeysCommand, GetRestApisCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import { CognitoIdentityProviderClient, ListUserPoolsCommand, ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocument, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { expect, type Page } from "@playwright/test";

/** The sandbox the Playwright web server started (see playwright.config.ts). */
export const SANDBOX_URL = `http://localhost:${process.env.E2E_SANDBOX_PORT ?? 4600}`;
export const TABLE = "portico";

export const USERS = {
  admin: { email: "admin@example.com", password: "Portico-admin-1", name: "Ada Admin" },
  developer: { email: "dev@example.com", password: "Portico-dev-1", name: "Dev Eloper" },
} as const;

export const db = DynamoDBDocument.from(
  new DynamoDBClient({ endpoint: SANDBOX_URL, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } }),
);

/** Signs in through the portal's sign-in page and the sandbox's hosted login. */
export async function signIn(page: Page, user: { email: string; password: string }, from = "/signin") {
  await page.goto(from);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.getByLabel("Email or username").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("account-name")).toBeVisible();
}

/**
 * Follows a link in the account menu. The menu is a <details> that closes when the page navigates
 * (menu-behaviour.tsx): a click landing while a just-loaded page still settles can find it closed
 * again, so it is opened (if it isn't) and the link clicked until that works.
 */
export async function viaAccountMenu(page: Page, link: string) {
  const menu = page.locator("details", { has: page.getByLabel(/Account menu/) });
  await expect(async () => {
    if (!(await menu.evaluate((details) => (details as HTMLDetailsElement).open))) await page.getByLabel(/Account menu/).click();
    await page.getByRole("link", { name: link, exact: true }).click({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

export async function signOut(page: Page) {
  await page.getByLabel(/Account menu/).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Session rows of a user in the portal's table (by the user's email). */
export async function sessionsOf(email: string): Promise<{ pk: string; sk: string }[]> {
  const { Items: users = [] } = await db.send(
    new QueryCommand({ TableName: TABLE, IndexName: "GSI1", KeyConditionExpression: "GSI1PK = :pk", ExpressionAttributeValues: { ":pk": `USER#${email}` } }),
  );
  const userPk = String(users[0]?.pk);
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
      ExpressionAttributeValues: { ":pk": userPk, ":s": "SESSION#" },
    }),
  );
  return Items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
}

export async function deleteSessions(email: string): Promise<number> {
  const sessions = await sessionsOf(email);
  for (const key of sessions) await db.send(new DeleteCommand({ TableName: TABLE, Key: key }));
  return sessions.length;
}

/** Registers a brand-new user through the hosted sign-up page; lands signed in on /dashboard. */
export async function register(page: Page, label: string): Promise<{ email: string; password: string; name: string }> {
  const user = {
    email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`,
    password: "Journey-pass-1",
    name: `${label[0]!.toUpperCase()}${label.slice(1)} Tester`,
  };
  await page.goto("/register");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Full name").fill(user.name);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Confirm password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return user;
}

const apigateway = new APIGatewayClient({ endpoint: SANDBOX_URL, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } });

/** Calls the sample API (by its name in API Gateway) through the sandbox's data plane, as a developer's app would. */
let restApis: Promise<{ id?: string; name?: string }[]> | undefined;

export async function callApi(apiName: "Pets API" | "Weather API", key: string): Promise<number> {
  // The sandbox's APIs don't change during a run: look them up once.
  restApis ??= apigateway.send(new GetRestApisCommand({})).then((page) => page.items ?? []);
  const api = (await restApis).find((a) => a.name === apiName);
  if (!api) throw new Error(`${apiName} is not in the sandbox`);
  const path = apiName === "Pets API" ? "/pets" : "/current?city=Lisbon";
  const response = await fetch(`${SANDBOX_URL}/restapis/${api.id}/prod/_user_request_${path}`, { headers: { "x-api-key": key } });
  await response.arrayBuffer();
  return response.status;
}

const cognito = new CognitoIdentityProviderClient({
  endpoint: SANDBOX_URL,
  region: "us-east-1",
  credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
});

/**
 * Everything a request could change, in a comparable form: every row of the portal's table (but the
 * rate limiter's), every API key in API Gateway with its plans, and every sign-in account. Equal
 * before and after = nothing changed.
 */
/**
 * Runs `work` with the sandbox's job timers off (and no job still running): a "nothing changed"
 * check must not see the usage collector or the sweeper write rows in the meantime.
 */
export async function withJobsPaused<T>(work: () => Promise<T>): Promise<T> {
  const scheduler = `${SANDBOX_URL}/_sandbox/scheduler`;
  const setTimers = async (timers: boolean) => {
    const response = await fetch(scheduler, { method: "PUT", body: JSON.stringify({ timers }) });
    if (!response.ok) throw new Error(`PUT ${scheduler}: ${response.status}`);
    return (await response.json()) as { jobs: { running: boolean }[] };
  };
  let { jobs } = await setTimers(false);
  try {
    while (jobs.some((job) => job.running)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ({ jobs } = (await (await fetch(scheduler)).json()) as { jobs: { running: boolean }[] });
    }
    return await work();
  } finally {
    await setTimers(true);
  }
}

export async function snapshotState() {
  const rows: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey }));
    // Rate-limit buckets (LIMIT#…) are the limiter's bookkeeping, written by every counted request, refused or not.
    rows.push(...(page.Items ?? []).filter((row) => !String(row.pk).startsWith("LIMIT#")));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const { items: keys = [] } = await apigateway.send(new GetApiKeysCommand({ limit: 500 }));
  const { items: plans = [] } = await apigateway.send(new GetUsagePlansCommand({ limit: 500 }));
  const members = await Promise.all(
    plans.map(async (plan) => {
      const { items = [] } = await apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id!, limit: 500 }));
      return [plan.id, items.map((k) => k.id).sort()] as const;
    }),
  );
  const { UserPools = [] } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
  const accounts = await Promise.all(UserPools.map(async (pool) => (await cognito.send(new ListUsersCommand({ UserPoolId: pool.Id! }))).Users ?? []));
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`);
  return {
    rows: rows.sort(byKey),
    keys: keys.map((k) => ({ id: k.id, name: k.name, enabled: k.enabled, tags: k.tags })).sort((a, b) => String(a.id).localeCompare(String(b.id))),
    plans: Object.fromEntries(members),
    accounts: accounts
      .flat()
      .map((u) => ({ username: u.Username, status: u.UserStatus, enabled: u.Enabled }))
      .sort((a, b) => String(a.username).localeCompare(String(b.username))),
  };
}
