import AxeBuilder from "@axe-core/playwright";
import { APIGatewayClient, GetApiKeysCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { expect, test, type Page } from "@playwright/test";
import { callApi, db, register, SANDBOX_URL, TABLE } from "./support";

/** The seed's Pro plan is sold on AWS Marketplace under this product code (local/seed.yaml). */
const PRODUCT_CODE = "portico-pro-sandbox";
const apigateway = new APIGatewayClient({ endpoint: SANDBOX_URL, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } });

const randomAccount = () => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));

/**
 * The sandbox's AWS Marketplace buyer page: subscribe (by default as a legacy-integration buyer, so
 * the SNS messages, which name the customer identifier, match), and let it form-POST the token to the portal.
 */
async function buyOnMarketplace(page: Page, options: { fulfillmentUrl: string; account: string; productCode?: string; integration?: "legacy" | "new" }) {
  const query = new URLSearchParams({ productCode: options.productCode ?? PRODUCT_CODE, fulfillmentUrl: options.fulfillmentUrl });
  await page.goto(`${SANDBOX_URL}/buyer?${query}`);
  await page.getByLabel("Buyer AWS account id").fill(options.account);
  await page.getByLabel(options.integration === "new" ? /New integration/ : /Legacy integration/).check();
  await page.getByRole("button", { name: "Subscribe and continue to the seller" }).click();
}

/** From the sign-in page the buyer was sent to: "Create an account" on the hosted sign-up, and back. */
async function registerFromSignIn(page: Page, label: string) {
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmarketplace%2Factivate$/);
  const user = { email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`, password: "Journey-pass-1", name: "Buyer Tester" };
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Full name").fill(user.name);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Confirm password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/marketplace\/activate$/);
  return user;
}

async function customerIdentifierOf(account: string): Promise<string> {
  const { customers } = (await (await fetch(`${SANDBOX_URL}/_sandbox/marketplace/customers`)).json()) as {
    customers: { productCode: string; customerAWSAccountId: string; customerIdentifier: string }[];
  };
  const customer = customers.find((c) => c.productCode === PRODUCT_CODE && c.customerAWSAccountId === account);
  expect(customer, `sandbox customer for account ${account}`).toBeDefined();
  return customer!.customerIdentifier;
}

/** Publishes what AWS Marketplace would to the product's SNS topic, and waits until the listener has it. */
async function notify(action: string, customerIdentifier: string) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/marketplace/notify`, {
    method: "POST",
    body: JSON.stringify({ action, customerIdentifier, productCode: PRODUCT_CODE }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { delivered: number }).delivered).toBe(1);
  const { deliveries } = (await (await fetch(`${SANDBOX_URL}/_sandbox/sns/drain`, { method: "POST" })).json()) as {
    deliveries: { ok: boolean; error?: string }[];
  };
  expect(deliveries.filter((d) => !d.ok)).toEqual([]);
}

async function proPlanId(): Promise<string> {
  const { items = [] } = await apigateway.send(new GetUsagePlansCommand({}));
  const pro = items.find((p) => p.name === "Pro");
  expect(pro?.productCode).toBe(PRODUCT_CODE);
  return pro!.id!;
}

/** Serious or critical axe findings, in both colour schemes. */
async function seriousViolations(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    for (const v of results.violations)
      if (v.impact === "serious" || v.impact === "critical") found.push(`${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** Rows of the portal's table whose key starts with `prefix` (a handful in the e2e sandbox). */
async function rowsStartingWith(prefix: string): Promise<number> {
  const { Items = [] } = await db.send(
    new ScanCommand({ TableName: TABLE, FilterExpression: "begins_with(pk, :p)", ExpressionAttributeValues: { ":p": prefix } }),
  );
  return Items.length;
}

test("a buyer lands from AWS Marketplace, registers, activates, and gets metered access until they unsubscribe", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const account = randomAccount();

  // The buyer page POSTs the token to the fulfillment URL; the portal asks them to sign in first.
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account });
  await registerFromSignIn(page, "buyer");

  // Back on the confirmation page: it names the product and its terms before anything changes.
  await expect(page.getByRole("heading", { name: "You bought Pro on AWS Marketplace" })).toBeVisible();
  await expect(page.getByText("50 requests/s, bursts of 100")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Waiting for AWS Marketplace: bought there, managed there.
  const pro = page.getByRole("region", { name: "Subscriptions" }).getByRole("listitem").filter({ hasText: "Pro" });
  await expect(pro.getByText("Awaiting AWS Marketplace")).toBeVisible();
  await expect(pro.getByText("AWS Marketplace", { exact: true })).toBeVisible();
  await expect(pro.getByText("Managed in AWS Marketplace — cancel it there.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toHaveCount(0);
  const key = page.getByRole("listitem", { name: "Key Pro Marketplace" });
  await expect(key.getByText("AWS Marketplace · Pro")).toBeVisible();
  await expect(key.getByRole("button", { name: "Rotate key Pro Marketplace" })).toBeVisible();
  await expect(key.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);

  await key.getByRole("button", { name: "Reveal key Pro Marketplace" }).click();
  const value = ((await key.getByLabel("Key value for Pro Marketplace").textContent()) ?? "").trim();
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  expect(await callApi("Pets API", value)).toBe(403);

  // The key carries the buyer's customer id, and the Pro plan the product code: API Gateway meters its calls.
  const customerIdentifier = await customerIdentifierOf(account);
  await proPlanId();
  const { items: metered = [] } = await apigateway.send(new GetApiKeysCommand({ customerId: customerIdentifier, includeValues: true }));
  expect(metered.map((k) => ({ value: k.value, customerId: k.customerId }))).toEqual([{ value, customerId: customerIdentifier }]);

  // AWS Marketplace confirms: the key works.
  await notify("subscribe-success", customerIdentifier);
  await page.reload();
  await expect(pro.getByText("Active", { exact: true })).toBeVisible();
  for (let i = 0; i < 3; i++) expect(await callApi("Pets API", value)).toBe(200);

  // Its usage shows on the dashboard.
  const usage = page.getByRole("region", { name: "Usage" });
  const table = usage.locator("details").first();
  const today = table.locator("tbody tr").last().locator("td").last();
  await expect(async () => {
    await usage.getByRole("button", { name: "Refresh usage for Pro" }).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
    if ((await table.getAttribute("open")) === null) await table.locator("summary").click();
    await expect(today).toHaveText("3", { timeout: 2_000 });
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  expect(await callApi("Weather API", value)).toBe(200);

  // Cancellation pending: a warning, and the key still works until it completes.
  await notify("unsubscribe-pending", customerIdentifier);
  await page.reload();
  await expect(pro.getByRole("status")).toHaveText(/Cancellation is pending in AWS Marketplace/);
  expect(await callApi("Pets API", value)).toBe(200);
  expect(await seriousViolations(page)).toEqual([]);

  // Unsubscribed in AWS Marketplace: calls are refused and the dashboard says it ended.
  await notify("unsubscribe-success", customerIdentifier);
  expect(await callApi("Pets API", value)).toBe(403);
  await page.reload();
  await expect(pro.getByText("Ended", { exact: true })).toBeVisible();
  await expect(pro.getByRole("status")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Unsubscribe from Pro" })).toHaveCount(0);
});

test("a buyer with Marketplace Pro active is offered Free as a plain subscribe, which leaves Pro active", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const account = randomAccount();
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account });
  await registerFromSignIn(page, "buyer-free");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await notify("subscribe-success", await customerIdentifierOf(account));
  await page.reload();
  const pro = page.getByRole("region", { name: "Subscriptions" }).getByRole("listitem").filter({ hasText: "Pro" });
  await expect(pro.getByText("Active", { exact: true })).toBeVisible();

  // A plan bought on AWS Marketplace holds its own key only: Free doesn't replace it.
  const plans = page.getByRole("region", { name: "Available plans" });
  await expect(plans.getByText("Bought on AWS Marketplace", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Switch to/ })).toHaveCount(0);
  await expect(plans.getByText(/Ends Pro|Replaces your Pro/)).toHaveCount(0);
  await plans.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();
  await expect(page.getByRole("dialog")).toBeHidden();

  // Pro is still active, and its key still works on both of its APIs.
  await page.reload();
  await expect(pro.getByText("Active", { exact: true })).toBeVisible();
  const key = page.getByRole("listitem", { name: "Key Pro Marketplace" });
  await key.getByRole("button", { name: "Reveal key Pro Marketplace" }).click();
  const value = ((await key.getByLabel("Key value for Pro Marketplace").textContent()) ?? "").trim();
  expect(await callApi("Pets API", value)).toBe(200);
  expect(await callApi("Weather API", value)).toBe(200);
});

test("expired and invalid tokens, and products not sold here, get a clear page and change nothing", async ({ page, baseURL }) => {
  const landingsBefore = await rowsStartingWith("MPLANDING#");
  const customersBefore = await rowsStartingWith("MPCUSTOMER#");
  /** Posts a token the way AWS Marketplace does: an HTML form from another site. */
  async function postToken(token: string) {
    await page.setContent(
      `<form method="post" action="${baseURL}/marketplace/confirm"><input type="hidden" name="x-amzn-marketplace-token" value="${token}"><button>Continue</button></form>`,
    );
    await page.getByRole("button", { name: "Continue" }).click();
  }

  await postToken("bm90LWEtcmVhbC10b2tlbg==");
  await expect(page).toHaveURL(/\/marketplace\/activate\?problem=invalid-token$/);
  await expect(page.getByRole("heading", { name: "We couldn't set up your purchase" })).toBeVisible();
  await expect(page.getByTestId("marketplace-problem")).toContainText("a registration link this portal can't read");
  await expect(page.getByRole("link", { name: "Open AWS Marketplace" })).toHaveAttribute("href", "https://aws.amazon.com/marketplace");
  expect(await seriousViolations(page)).toEqual([]);

  const expired = await fetch(`${SANDBOX_URL}/_sandbox/marketplace/tokens`, {
    method: "POST",
    body: JSON.stringify({ productCode: PRODUCT_CODE, legacy: true, issuedAt: new Date(Date.now() - 5 * 3_600_000).toISOString() }),
  });
  const { token } = (await expired.json()) as { token: string };
  await postToken(token);
  await expect(page).toHaveURL(/\/marketplace\/activate\?problem=expired-token$/);
  await expect(page.getByTestId("marketplace-problem")).toContainText("has expired (they last 4 hours)");

  // Unknown problem codes are not echoed; with no purchase waiting, that is what the page says.
  await page.goto("/marketplace/activate?problem=%3Cb%3Eoops");
  await expect(page.getByTestId("marketplace-problem")).toContainText("There is no AWS Marketplace purchase waiting to be set up");
  await expect(page.getByText("oops")).toHaveCount(0);

  // A product code no plan carries: said before the buyer signs up for nothing.
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account: randomAccount(), productCode: "not-sold-here" });
  await expect(page).toHaveURL(/\/marketplace\/activate$/);
  await expect(page.getByTestId("marketplace-problem")).toContainText("doesn't sell the product you bought");

  // Nothing was kept for the bad tokens, and no buyer was bound.
  expect(await rowsStartingWith("MPLANDING#")).toBe(landingsBefore + 1);
  expect(await rowsStartingWith("MPCUSTOMER#")).toBe(customersBefore);
  await page.context().clearCookies();
});

test("the legacy /marketplace-confirm/{planId} URL works, and a second user can't take the same purchase", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const account = randomAccount();
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const page = await first.newPage();
    await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace-confirm/${await proPlanId()}`, account });
    await registerFromSignIn(page, "legacy-buyer");
    await expect(page.getByRole("heading", { name: "You bought Pro on AWS Marketplace" })).toBeVisible();
    await page.getByRole("button", { name: "Activate" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText("Awaiting AWS Marketplace")).toBeVisible();

    // Someone else opens the same buyer account's purchase in another browser.
    const other = await second.newPage();
    await buyOnMarketplace(other, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account });
    await registerFromSignIn(other, "second-buyer");
    await other.getByRole("button", { name: "Activate" }).click();
    await expect(other.getByRole("alert").filter({ hasText: "already linked to another account" })).toBeVisible();
    await expect(other).toHaveURL(/\/marketplace\/activate$/);
    await other.goto("/dashboard");
    await expect(other.getByText("Awaiting AWS Marketplace")).toHaveCount(0);
    await expect(other.getByRole("listitem", { name: "Key Pro Marketplace" })).toHaveCount(0);
  } finally {
    await first.close();
    await second.close();
  }
});

test("a new-integration buyer (no customer identifier) is confirmed and ended by EventBridge agreement events", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const account = randomAccount();
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account, integration: "new" });
  await registerFromSignIn(page, "new-buyer");
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const pro = page.getByRole("region", { name: "Subscriptions" }).getByRole("listitem").filter({ hasText: "Pro" });
  await expect(pro.getByText("Awaiting AWS Marketplace")).toBeVisible();
  const key = page.getByRole("listitem", { name: "Key Pro Marketplace" });
  await key.getByRole("button", { name: "Reveal key Pro Marketplace" }).click();
  const value = ((await key.getByLabel("Key value for Pro Marketplace").textContent()) ?? "").trim();
  // Without a customer identifier, API Gateway meters to the buyer's account id.
  const { items: metered = [] } = await apigateway.send(new GetApiKeysCommand({ customerId: account, includeValues: true }));
  expect(metered.map((k) => k.value)).toEqual([value]);

  // The owner rehearses with the buyer page's EventBridge buttons for that customer.
  const customerIdentifier = await customerIdentifierOf(account);
  const sendEvent = async (label: string) => {
    await page.goto(`${SANDBOX_URL}/buyer?productCode=${PRODUCT_CODE}`);
    await page
      .getByRole("form", { name: `Send an EventBridge event for customer ${customerIdentifier}` })
      .getByRole("button", { name: label })
      .click();
    await expect(page.getByRole("status")).toContainText("the listener answered applied");
  };
  await sendEvent("Agreement created");
  expect(await callApi("Pets API", value)).toBe(200);
  await page.goto("/dashboard");
  await expect(pro.getByText("Active", { exact: true })).toBeVisible();

  await sendEvent("Agreement ended");
  expect(await callApi("Pets API", value)).toBe(403);
  await page.goto("/dashboard");
  await expect(pro.getByText("Ended", { exact: true })).toBeVisible();
});

test("a purchase another site sends to a signed-in developer shows who bought it and when, can be refused, and never takes over their plan", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await register(page, "planted");
  const created = await page.request.post("/api/keys", { data: { name: "portal key" } });
  expect(created.status()).toBe(201);
  const { value } = (await created.json()) as { value: string };
  expect((await page.request.post("/api/subscriptions", { data: { product: "pro" } })).status()).toBe(200);
  expect(await callApi("Pets API", value)).toBe(200);

  // A stranger's purchase, form-POSTed to the portal from another origin (the sandbox's buyer page).
  const account = randomAccount();
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account });
  await expect(page).toHaveURL(/\/marketplace\/activate$/);
  const details = page.getByTestId("purchase-details");
  await expect(details).toContainText(`AWS account ${account.slice(0, 4)}-${account.slice(4, 8)}-${account.slice(8)}`);
  await expect(details).toContainText("just now");
  expect(await seriousViolations(page)).toEqual([]);

  // Activating would take the portal key off Pro: refused, with the reason, and nothing changes.
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You already have this plan through the portal" })).toBeVisible();
  expect(await callApi("Pets API", value)).toBe(200);
  const { items: metered = [] } = await apigateway.send(new GetApiKeysCommand({ customerId: await customerIdentifierOf(account) }));
  expect(metered).toEqual([]);

  // "Not my purchase" forgets it in this browser.
  await page.getByRole("button", { name: "Not my purchase" }).click();
  await expect(page.getByTestId("marketplace-discarded")).toContainText("Nothing was linked to your account");
  await page.goto("/marketplace/activate");
  await expect(page.getByTestId("marketplace-problem")).toContainText("There is no AWS Marketplace purchase waiting");
  expect(await callApi("Pets API", value)).toBe(200);
});

test("an owner activates a purchase for their team: the team's page holds it, AWS Marketplace's events reach it, and the team can't be deleted while it runs", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await register(page, "team-buyer");
  const slug = `mp-team-${Date.now().toString(36)}`;
  const made = await page.request.post("/api/teams", { data: { name: "Buyers Inc.", slug } });
  expect(made.status()).toBe(201);

  // Signed in already: the purchase lands on the activation page, which asks whose it is.
  const account = randomAccount();
  await buyOnMarketplace(page, { fulfillmentUrl: `${baseURL}/marketplace/confirm`, account });
  await expect(page).toHaveURL(/\/marketplace\/activate$/);
  const whose = page.getByRole("group", { name: "Whose purchase is this?" });
  await expect(whose.getByRole("radio", { name: "Yourself" })).toBeChecked();
  await expect(whose.getByRole("radio")).toHaveCount(2);
  expect(await seriousViolations(page)).toEqual([]);
  await whose.getByRole("radio", { name: "Buyers Inc." }).check();
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page).toHaveURL(new RegExp(`/teams/${slug}$`));

  // The team's page shows the purchase and its metered key, named after the product.
  const pro = page.getByRole("region", { name: "Subscriptions" }).getByRole("listitem").filter({ hasText: "Pro" });
  await expect(pro.getByText("Awaiting AWS Marketplace")).toBeVisible();
  const key = page.getByRole("listitem", { name: "Key Pro Marketplace" });
  await expect(key.getByText("AWS Marketplace · Pro")).toBeVisible();
  await key.getByRole("button", { name: "Reveal key Pro Marketplace" }).click();
  const value = ((await key.getByLabel("Key value for Pro Marketplace").textContent()) ?? "").trim();
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  const customerIdentifier = await customerIdentifierOf(account);
  const { items: metered = [] } = await apigateway.send(new GetApiKeysCommand({ customerId: customerIdentifier, includeValues: true }));
  expect(metered.map((k) => ({ value: k.value, name: k.name }))).toEqual([{ value, name: `Pro Marketplace · team ${slug}` }]);

  // AWS Marketplace confirms: the team's key works; the buyer's own dashboard holds nothing of it.
  await notify("subscribe-success", customerIdentifier);
  await page.reload();
  await expect(pro.getByText("Active", { exact: true })).toBeVisible();
  expect(await callApi("Pets API", value)).toBe(200);
  expect((await page.request.delete(`/api/teams/${slug}`)).status()).toBe(409);
  await page.goto("/dashboard");
  await expect(page.getByRole("listitem", { name: "Key Pro Marketplace" })).toHaveCount(0);

  // Cancelled in AWS Marketplace: the team's subscription ends.
  await notify("unsubscribe-success", customerIdentifier);
  expect(await callApi("Pets API", value)).toBe(403);
  await page.goto(`/teams/${slug}`);
  await expect(pro.getByText("Ended", { exact: true })).toBeVisible();
});
