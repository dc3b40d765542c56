import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E_LIMITS } from "./e2e/limits";

const port = Number(process.env.E2E_PORT ?? 3100);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4600);
const debianChromium = "/usr/bin/chromium";

/** Journeys run in real Chromium against `next build && next start` plus a fresh sandbox. */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: existsSync(debianChromium) ? debianChromium : undefined,
          args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-gpu"],
        },
      },
    },
  ],
  webServer: {
    command: "next build && tsx local/dev.ts --start --fresh",
    url: `http://localhost:${port}`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    // The stage's limits as a deployed stage gets them (infra/ passes the `limits` setting the same way).
    env: { PORT: String(port), SANDBOX_PORT: String(sandboxPort), SANDBOX_STATE_DIR: ".sandbox/e2e", PORTICO_LIMITS: JSON.stringify(E2E_LIMITS) },
    stdout: "pipe",
  },
});
