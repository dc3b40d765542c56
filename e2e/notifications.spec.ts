import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { register, signIn, USERS } from "./support";

/**
 * The notifications page: preferences that persist, a webhook endpoint on this machine (the e2e
 * portal runs with PORTICO_WEBHOOKS_ALLOW_PRIVATE=1, local/settings.ts), its secret shown once, and
 * a test event that arrives signed, verifies with the `standardwebhooks` package and shows up as
 * sent (HTTP 200) on the endpoint and in the delivery log.
 */

type Received = { path: string; body: string; headers: Record<string, string> };

/** A webhook receiver on 127.0.0.1 that records every request and answers 200 with a small JSON body. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body: Buffer.concat(chunks).toString("utf8"), headers: flat(request.headers) });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ received: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/portico`, received };
}

const flat = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(", ") : value]])),
  );

test("signed out, the notifications page sends people to sign in", async ({ request }) => {
  const response = await request.get("/dashboard/notifications", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/signin?callbackUrl=%2Fdashboard%2Fnotifications");
});

test("a developer switches a notice off, registers a webhook and gets a signed test event", async ({ page }) => {
  test.setTimeout(90_000);
  const receiver = await startReceiver();
  try {
    const user = await register(page, "notify");
    await page.getByLabel(/Account menu/).click();
    await page.getByRole("link", { name: "Notifications", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard\/notifications$/);
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    // The menu closed behind the navigation (the header stays mounted across pages); Escape closes it too.
    await expect(page.getByRole("link", { name: "Portal tokens" })).toBeHidden();
    await page.getByLabel(/Account menu/).click();
    await expect(page.getByRole("link", { name: "Portal tokens" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("link", { name: "Portal tokens" })).toBeHidden();
    await expect(page.getByLabel(/Account menu/)).toBeFocused();
    await expect(page.getByText(`Emails go to ${user.email}`)).toBeVisible();
    // Administration notices are for administrators only.
    await expect(page.getByLabel("Email: Administration")).toHaveCount(0);

    // Preferences: on by default, saved at once, still off after a reload.
    const quotaEmail = page.getByRole("switch", { name: "Email: Quota alerts" });
    await expect(quotaEmail).toBeChecked();
    const saved = page.waitForResponse((r) => r.url().endsWith("/api/notifications/preferences") && r.request().method() === "PATCH");
    await quotaEmail.uncheck();
    expect((await saved).status()).toBe(200);
    await expect(page.getByRole("status").filter({ hasText: "Saved: Email quota alerts off." })).toHaveCount(1);
    await page.reload();
    await expect(page.getByRole("switch", { name: "Email: Quota alerts" })).not.toBeChecked();
    await expect(page.getByRole("switch", { name: "Webhooks: Quota alerts" })).toBeChecked();
    await expect(page.getByRole("switch", { name: "Email: Key security" })).toBeChecked();

    // A URL the portal refuses: its message next to the field.
    const urlField = page.getByLabel("Endpoint URL");
    await urlField.fill("ftp://127.0.0.1/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(urlField).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("alert").filter({ hasText: "The URL must start with https://." })).toBeVisible();

    // The endpoint, and its secret shown once.
    await urlField.fill(receiver.url);
    await page.getByLabel("Description (optional)").fill("e2e receiver");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secretBox = page.getByTestId("webhook-secret");
    await expect(secretBox).toContainText("You won't see this secret again");
    const secret = (await page.getByTestId("webhook-secret-value").textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await secretBox.getByRole("button", { name: "Done, hide the secret" }).click();
    await expect(secretBox).toHaveCount(0);
    const row = page.getByTestId("webhook-endpoint").filter({ hasText: receiver.url });
    await expect(row).toContainText("Enabled");
    await expect(row).toContainText("e2e receiver");
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await expect(row).toContainText("None yet");

    // The test event: answered 200 on the row, then sent in the log.
    await row.getByRole("button", { name: `Send test event to ${receiver.url}` }).click();
    await expect(row.getByTestId("test-result")).toContainText("Test event: Sent with HTTP 200 (OK).");
    await expect(row.getByTestId("test-result")).toContainText('{"received":true}');
    await expect(row).toContainText(/Last delivery\s*HTTP 200 \(OK\)/);
    const logged = page.getByTestId("delivery").filter({ hasText: "webhook.test" });
    await expect(logged).toHaveCount(1);
    await expect(logged).toHaveAttribute("data-state", "sent");
    await expect(logged).toContainText("Sent");
    await expect(logged).toContainText(`Webhook → ${receiver.url}`);
    await expect(logged).toContainText("1 attempt · HTTP 200 (OK)");
    await logged.getByRole("button", { name: /^Details/ }).click();
    await expect(logged.locator("pre")).toHaveText('{"received":true}');
    // Still there when the log is read again.
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Delivery log refreshed" })).toHaveCount(1);
    await expect(page.getByTestId("delivery").filter({ hasText: "webhook.test" })).toHaveAttribute("data-state", "sent");

    // What the receiver got is signed with the secret shown, per Standard Webhooks.
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(1);
    const tests = receiver.received.filter((r) => r.body.includes('"webhook.test"'));
    expect(tests).toHaveLength(1);
    const [delivery] = tests;
    expect(delivery!.path).toBe("/hooks/portico");
    const event = new Webhook(secret).verify(delivery!.body, delivery!.headers) as { type: string; data: { endpointId: string } };
    expect(event.type).toBe("webhook.test");
    expect(event.data.endpointId).toMatch(/^ep_/);
    // …and with no other secret.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(delivery!.body, delivery!.headers)).toThrow();

    // Rotation: a new secret, once; both sign for a day, so the receiver keeps working.
    await row.getByRole("button", { name: `Rotate the secret of ${receiver.url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    await expect(secretBox).toContainText("Deliveries are signed with both secrets until");
    const rotated = (await page.getByTestId("webhook-secret-value").textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(row).toContainText("Old secret");
    await row.getByRole("button", { name: `Send test event to ${receiver.url}` }).click();
    await expect(row.getByTestId("test-result")).toContainText("Sent with HTTP 200 (OK).");
    await expect.poll(() => receiver.received.filter((r) => r.body.includes('"webhook.test"')).length).toBe(2);
    const second = receiver.received.filter((r) => r.body.includes('"webhook.test"'))[1]!;
    for (const key of [secret, rotated]) expect((new Webhook(key).verify(second.body, second.headers) as { type: string }).type).toBe("webhook.test");

    // Disable, then delete (confirmed): the list is empty again.
    await row.getByRole("button", { name: `Disable ${receiver.url}` }).click();
    await expect(row).toContainText("Disabled by you.");
    await expect(row.getByRole("button", { name: `Enable ${receiver.url}` })).toBeVisible();
    await row.getByRole("button", { name: `Delete ${receiver.url}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page.getByText("No endpoints yet.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("No endpoints yet.")).toBeVisible();
    // The log keeps what was delivered.
    await expect(page.getByTestId("delivery").filter({ hasText: "webhook.test" })).toHaveCount(2);
  } finally {
    await new Promise((resolve) => receiver.server.close(resolve));
  }
});

test("administrators are also offered administration notices", async ({ page }) => {
  await signIn(page, USERS.admin, "/signin?callbackUrl=%2Fdashboard%2Fnotifications");
  await expect(page).toHaveURL(/\/dashboard\/notifications$/);
  await expect(page.getByRole("switch", { name: "Email: Administration" })).toBeChecked();
  await expect(page.getByRole("switch", { name: "Webhooks: Administration" })).toBeChecked();
});

for (const theme of ["light", "dark"] as const) {
  test(`the notifications page has no serious accessibility violations (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await register(page, `axe-${theme}`);
    await page.goto("/dashboard/notifications");
    await expect(page.locator("html")).toHaveCSS("color-scheme", theme);
    await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/nobody-listens");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByTestId("webhook-secret")).toBeVisible();
    await page.getByRole("button", { name: "Send test event to http://127.0.0.1:9/nobody-listens" }).click();
    await expect(page.getByTestId("test-result")).toContainText("Test event:");
    await expect(page.getByTestId("delivery")).toHaveCount(1);
    await page
      .getByTestId("delivery")
      .getByRole("button", { name: /^Details/ })
      .click();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });
}
