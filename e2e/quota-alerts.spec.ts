import { APIGatewayClient, GetUsagePlansCommand, UpdateUsagePlanCommand } from "@aws-sdk/client-api-gateway";
import { expect, test, type Page } from "@playwright/test";
import { callApi, register, SANDBOX_URL } from "./support";

/**
 * The quota alert, end to end: a developer's key goes past 80 % of its plan's quota through the
 * sandbox's data plane; the usage collector stores the figures and queues the alert; the notifier
 * sends it; the email is in the sandbox mailbox (with its one-click unsubscribe header) and the
 * delivery is in the dashboard's log. Free's quota is lowered to 5 a month for the test (the data
 * plane and GetUsage follow the plan), and put back afterwards.
 */

const apigateway = new APIGatewayClient({ endpoint: SANDBOX_URL, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" } });

async function runJob(job: "usage-collector" | "notifier") {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/scheduler/run`, { method: "POST", body: JSON.stringify({ job }) });
  expect(response.status, `${job}: ${await response.clone().text()}`).toBe(200);
}

async function setFreeQuota(limit: number): Promise<number> {
  const plans = (await apigateway.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? [];
  const free = plans.find((p) => p.name === "Free");
  if (!free?.id || !free.quota?.limit) throw new Error("the sandbox has no Free plan with a quota");
  const update = new UpdateUsagePlanCommand({ usagePlanId: free.id, patchOperations: [{ op: "replace", path: "/quota/limit", value: String(limit) }] });
  // API Gateway allows one UpdateUsagePlan per 20 s per account (the sandbox keeps to it): wait for a turn.
  for (let waited = 0; ; waited += 2_000) {
    try {
      await apigateway.send(update);
      return free.quota.limit;
    } catch (error) {
      if ((error as Error).name !== "TooManyRequestsException" || waited > 30_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

async function newKey(page: Page): Promise<string> {
  await page.getByLabel("Key name").fill("alerted app");
  await page.getByRole("button", { name: "Create key" }).click();
  const value = (await page.getByLabel("New key value").textContent())?.trim() ?? "";
  expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
  return value;
}

test("a key past 80 % of its quota: the alert is in the mailbox and in the delivery log", async ({ page }) => {
  test.setTimeout(120_000);
  const user = await register(page, "quota");
  const key = await newKey(page);
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible();

  const original = await setFreeQuota(5);
  try {
    // 4 of 5: 80 %. Free allows 2 requests a second.
    for (let i = 0; i < 4; i++) {
      expect(await callApi("Pets API", key)).toBe(200);
      await page.waitForTimeout(600);
    }
    await runJob("usage-collector");
    await runJob("notifier");
  } finally {
    await setFreeQuota(original);
  }

  // The sandbox's mailbox: one alert, for this key, with the one-click unsubscribe headers.
  const { messages } = (await (await fetch(`${SANDBOX_URL}/_sandbox/ses/messages?to=${encodeURIComponent(user.email)}`)).json()) as {
    messages: { subject: string; text?: string; headers: { name: string; value: string }[] | Record<string, string> }[];
  };
  const alerts = messages.filter((m) => /80/.test(m.subject));
  expect(alerts, messages.map((m) => m.subject).join("\n")).toHaveLength(1);
  const headers = JSON.stringify(alerts[0]!.headers);
  expect(headers).toContain("List-Unsubscribe-Post");
  expect(alerts[0]!.text).toContain("alerted app");

  await page.goto(`${SANDBOX_URL}/_sandbox/ses/mailbox?to=${encodeURIComponent(user.email)}`);
  await expect(page.getByText(alerts[0]!.subject).first()).toBeVisible();

  // Running the jobs again tells nothing twice.
  await runJob("usage-collector");
  await runJob("notifier");
  const again = (await (await fetch(`${SANDBOX_URL}/_sandbox/ses/messages?to=${encodeURIComponent(user.email)}`)).json()) as {
    messages: { subject: string }[];
  };
  expect(again.messages.filter((m) => /80/.test(m.subject))).toHaveLength(1);

  await page.goto("/dashboard/notifications");
  const log = page.getByRole("region", { name: "Delivery log" });
  await expect(log.getByText("quota.threshold").first()).toBeVisible();
  await expect(log.getByText(user.email).first()).toBeVisible();
  await expect(log.getByText("Sent").first()).toBeVisible();
});
