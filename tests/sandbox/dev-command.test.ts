import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nextEnv } from "../../bench/portal";
import { startChild, waitForOutput, type Child } from "../../bench/processes";
import { freePort } from "../../local/sandbox";

const root = path.resolve(import.meta.dirname, "../..");
/** Its own .next (bench/next-dist-dir.cjs), so a developer's `npm run dev` and the e2e build are untouched. */
const DIST_DIR = ".sandbox/test-dev-command";

/**
 * `npm run dev` as the README has people run it (local/dev.ts under `next dev`, not the `--start`
 * the Playwright suite uses), on ports that aren't the defaults: a first start, then a restart with
 * the sandbox's state kept. Each time Next starts before the sandbox is up, with the settings the
 * sandbox then reports (local/settings.ts), so it is never started twice.
 */
describe("npm run dev", () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "portico-dev-command-"));
  let child: Child | undefined;
  afterAll(async () => {
    await child?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(path.join(root, DIST_DIR), { recursive: true, force: true });
  });

  it("serves the portal and its docs assets, then again after a restart with the sandbox's state kept", async () => {
    const [sandboxPort, portalPort] = [await freePort(), await freePort()];
    const start = () =>
      startChild("npm run dev", [path.join(root, "node_modules/tsx/dist/cli.mjs"), "local/dev.ts"], {
        cwd: root,
        env: { ...nextEnv(DIST_DIR), SANDBOX_PORT: String(sandboxPort), PORT: String(portalPort), SANDBOX_STATE_DIR: stateDir, SANDBOX_SCHEDULE: "off" },
      });
    const get = async (pathname: string) => (await fetch(`http://127.0.0.1:${portalPort}${pathname}`, { redirect: "manual" })).status;

    const startedFirst = (output: string) => {
      expect(output.indexOf("Next.js")).toBeGreaterThanOrEqual(0);
      expect(output.indexOf("Next.js")).toBeLessThan(output.indexOf("Portico sandbox"));
      expect(output).not.toContain("restarting Next");
    };

    child = start();
    await waitForOutput(child, "Portal ready", 240_000);
    expect(child.output()).toContain(`Portal            http://localhost:${portalPort}`);
    startedFirst(child.output());
    expect(await get("/")).toBe(200);
    expect(await get("/docs-assets/islands-dev.js")).toBe(200);
    expect(await get("/docs-assets/docs-dev.css")).toBe(200);
    expect(await get("/apis/pets/operations/list-pets")).toBe(200);
    await child.stop();

    // Kept state: the portal works as before.
    child = start();
    await waitForOutput(child, "Portal ready", 240_000);
    startedFirst(child.output());
    expect(await get("/")).toBe(200);
    await child.stop();
    expect(child.process.exitCode ?? child.process.signalCode).not.toBeNull();
  }, 600_000);
});
