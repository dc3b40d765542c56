import { expect, test } from "@playwright/test";
import { callApi, register, SANDBOX_URL } from "./support";

// On AWS a key or plan change reaches calls only after a while; the sandbox delays it as much with
// SANDBOX_PROPAGATION_MS (here set at runtime). The dashboard's messages must stay true meanwhile:
// a new key is refused at first and then works, an old key or a plan keeps working for a moment.
const DELAY_MS = 6_000;

async function setPropagation(delayMs: number) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/apigateway/propagation`, { method: "PUT", body: JSON.stringify({ delayMs }) });
  expect(response.status).toBe(200);
}

/** Polls until the data plane answers `status` for `key`, within the delay and a margin. */
async function eventually(key: string, status: number) {
  await expect.poll(() => callApi("Pets API", key), { timeout: DELAY_MS + 5_000, intervals: [500] }).toBe(status);
}

test.afterEach(() => setPropagation(0));

test("the dashboard's messages hold while API Gateway applies key and plan changes", async ({ page }) => {
  test.setTimeout(90_000);
  await setPropagation(DELAY_MS);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await register(page, "propagation");
  const keys = page.getByRole("region", { name: "API keys" });

  // Subscribed first, then a key: it is refused until API Gateway has applied it, as the page says.
  await page.getByRole("button", { name: "Subscribe to Free" }).click();
  // The answer waits for the subscription's control-plane calls and a refresh: on a busy machine that can take longer than the default 5 s.
  await expect(page.getByRole("button", { name: "Unsubscribe from Free" })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel("Key name").fill("slow app");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("API Gateway starts accepting a new key usually within a minute")).toBeVisible();
  const first = (await page.getByLabel("New key value").textContent())!.trim();
  expect(await callApi("Pets API", first)).toBe(403);
  await eventually(first, 200);

  // Rotated with no grace period: the old key keeps working for a moment, as the page says, then stops.
  await keys.getByRole("button", { name: "Rotate key slow app" }).click();
  await expect(page.getByText("The old key stops working usually within a minute. Use this if the key leaked.")).toBeVisible();
  await page.getByLabel("No grace period").check();
  await page.getByRole("button", { name: "Rotate key", exact: true }).click();
  await expect(page.getByText("The old key stops working usually within a minute, as API Gateway applies the change.")).toBeVisible();
  const second = (await page.getByLabel("New key value").textContent())!.trim();
  expect(second).not.toBe(first);
  expect(await callApi("Pets API", first)).toBe(200);
  expect(await callApi("Pets API", second)).toBe(403);
  await eventually(first, 403);
  await eventually(second, 200);

  // Unsubscribed: the confirmation says the keys stop usually within a minute; they do.
  await page.getByRole("button", { name: "Unsubscribe from Free" }).click();
  await expect(page.getByRole("button", { name: "Subscribe to Free" })).toBeVisible({ timeout: 20_000 });
  expect(dialogs.at(-1)).toBe("Unsubscribe from Free? Your keys stop working with its APIs usually within a minute.");
  expect(await callApi("Pets API", second)).toBe(200);
  await eventually(second, 403);
});
