import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocument, QueryCommand } from "@aws-sdk/lib-dynamodb";
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
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)", ExpressionAttributeValues: { ":pk": userPk, ":s": "SESSION#" } }),
  );
  return Items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
}

export async function deleteSessions(email: string): Promise<number> {
  const sessions = await sessionsOf(email);
  for (const key of sessions) await db.send(new DeleteCommand({ TableName: TABLE, Key: key }));
  return sessions.length;
}
