import { APIGatewayClient, GetUsageCommand, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { register, SANDBOX_URL, signIn, USERS } from "./support";

/**
 * Try-it on an operation page (issue #20): the reader's own key chosen from their keys (sent by id;
 * the portal adds the value), bodies prefilled from the spec and checked against its schema before
 * sending, and a response view with status, time, size, headers and the body.
 */
const apigw = new APIGatewayClient({ endpoint: SANDBOX_URL, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } });

/** Script errors on the page: none may happen (an island that throws leaves the console dead). */
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

async function seriousViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

/** A key and the Free plan (which includes the Pets API) for the signed-in reader of `page`. */
async function keyAndPlan(page: Page, name: string): Promise<{ id: string; hint: string }> {
  const created = await page.request.post("/api/keys", { data: { name } });
  expect(created.status()).toBe(201);
  const subscribed = await page.request.post("/api/subscriptions", { data: { product: "free" } });
  expect(subscribed.status()).toBeLessThan(300);
  return ((await created.json()) as { key: { id: string; hint: string } }).key;
}

test("a developer without a key is told what to do; with one, they pick it, send, and read the answer", async ({ page, context, baseURL }) => {
  await register(page, "tryer");
  await page.goto("/apis/pets/operations/get-pet");
  const tryIt = page.getByRole("form", { name: "Try it" });
  // No key yet: said before sending, and again (with the plans to choose from) when they send anyway.
  await expect(tryIt).toContainText("you have none yet");
  await expect(tryIt.getByRole("link", { name: "Create one on your dashboard" })).toHaveAttribute("href", "/dashboard");
  await tryIt.getByLabel(/petId/).fill("7");
  await tryIt.getByRole("button", { name: "Send GET request" }).click();
  const alert = tryIt.getByRole("alert");
  await expect(alert).toContainText("You have no API key yet");
  await expect(alert.getByRole("link", { name: "Free" })).toHaveAttribute("href", "/products/free");
  await expect(alert.getByRole("link", { name: "Pro" })).toHaveAttribute("href", "/products/pro");

  await keyAndPlan(page, "first key");
  const second = await keyAndPlan(page, "second key");
  await page.reload();
  const keySelect = tryIt.getByLabel("API key");
  await expect(keySelect.locator("option")).toHaveText([/^first key \(••••\w{4}\)$/, `second key (••••${second.hint})`, "Your first key that works here"]);
  await keySelect.selectOption(second.id);
  await tryIt.getByLabel(/petId/).fill("7");
  await tryIt.getByRole("button", { name: "Send GET request" }).press("Enter");
  const response = tryIt.getByTestId("try-it-response");
  await expect(response).toContainText("200 OK");
  await expect(response).toContainText(/\d+ ms/);
  await expect(response).toContainText(/\d+ B/);
  await expect(response).toContainText("key “second key”");
  await expect(response.getByLabel("Response body")).toContainText('"name": "Rex"');
  await expect(response.getByRole("button", { name: "Copy body" })).toBeVisible();
  await response.getByText(/^Headers \(\d+\)$/).click();
  await expect(response.locator("dt", { hasText: "content-type" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The chosen key made the call: API Gateway counted it.
  const plan = (await apigw.send(new GetUsagePlansCommand({}))).items!.find((p) => p.name === "Free")!;
  const today = new Date().toISOString().slice(0, 10);
  const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, keyId: second.id, startDate: today, endDate: today }));
  expect(usage.items?.[second.id]?.[0]?.[0]).toBe(1);

  // The same console in the dark theme is accessible too.
  await context.addCookies([{ name: "theme", value: "dark", url: baseURL! }]);
  await page.reload();
  await expect(page.locator("html")).toHaveClass("dark");
  await tryIt.getByLabel(/petId/).fill("8");
  await tryIt.getByRole("button", { name: "Send GET request" }).click();
  await expect(response).toContainText("200 OK");
  expect(await seriousViolations(page)).toEqual([]);
});

test("a body starts from the spec's example, is checked before sending, and can be sent anyway", async ({ page }) => {
  await register(page, "validator");
  await keyAndPlan(page, "body key");
  await page.goto("/apis/pets/operations/create-pet");
  const tryIt = page.getByRole("form", { name: "Try it" });
  const body = tryIt.getByLabel("Request body");
  await expect(body).toHaveValue(/"name": "Rex"/);
  const example = await body.inputValue();

  await body.fill('{"name": 5, "tags": "friendly"}');
  await tryIt.getByRole("button", { name: "Send POST request" }).click();
  await expect(tryIt.getByRole("alert")).toContainText("nothing was sent");
  await expect(body).toHaveAttribute("aria-invalid", "true");
  const problems = tryIt.getByRole("list").filter({ hasText: "/name" });
  await expect(problems).toContainText("/name must be string");
  await expect(problems).toContainText("/type is required");
  await expect(problems).toContainText("/tags must be array");
  await expect(tryIt.getByTestId("try-it-response")).toHaveCount(0);

  await body.fill('{"name": "Rex",');
  await tryIt.getByRole("button", { name: "Send POST request" }).click();
  await expect(tryIt).toContainText("The body isn't valid JSON: it ends too soon (line 1, column 16)");
  // Testing the API's own error handling: sent as written.
  await tryIt.getByRole("button", { name: "Send anyway" }).click();
  await expect(tryIt.getByTestId("try-it-response")).toContainText("Sent as written");

  await tryIt.getByRole("button", { name: "Reset to example" }).click();
  await expect(body).toHaveValue(example);
  await tryIt.getByRole("button", { name: "Send POST request" }).click();
  await expect(tryIt.getByTestId("try-it-response")).toContainText("201");
  await expect(body).not.toHaveAttribute("aria-invalid", "true");

  // Parameters too: a query parameter that isn't an integer is marked beside its field.
  await page.goto("/apis/pets/operations/list-pets");
  await tryIt.getByLabel(/^limit/).fill("lots");
  await tryIt.getByRole("button", { name: "Send GET request" }).click();
  await expect(tryIt.getByLabel(/^limit/)).toHaveAttribute("aria-invalid", "true");
  await expect(tryIt).toContainText("must be an integer");
});

test("the try-it relay only reaches catalog operations, and takes keys by id only", async ({ page }) => {
  await signIn(page, USERS.developer);
  const post = (data: object) => page.request.post("/api/try", { data, headers: { origin: new URL(page.url()).origin } });
  expect((await post({ api: "pets", operation: "nope" })).status()).toBe(404);
  expect((await post({ api: "weather-internal", operation: "get-current" })).status()).toBe(404);
  const pasted = await post({ api: "pets", operation: "get-pet", pathParams: { petId: "1" }, apiKey: "a-pasted-key-value" });
  expect(pasted.status()).toBe(400);
  expect(await pasted.json()).toEqual({ error: { code: "bad_request", message: "Choose one of your keys by keyId; key values aren't accepted here." } });
  const notAnId = await post({ api: "pets", operation: "get-pet", pathParams: { petId: "1" }, keyId: "../x" });
  expect(notAnId.status()).toBe(400);
  expect((await page.request.post("/api/try", { data: { api: "pets", operation: "list-pets" }, headers: { origin: "https://evil.example" } })).status()).toBe(
    403,
  );
});
