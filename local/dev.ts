// npm run dev — the sandbox and the portal together: `next dev` (or `next start` with --start).
//
// Time to the first page (npm run bench -- dev): `next dev` starts at once, beside the sandbox, with
// the settings the sandbox will have (local/settings.ts: its Cognito ids are derived from its state).
// What next.config.ts would do before serving anything (check catalog/, build the docs pages'
// script and stylesheet: lib/build/prepare.ts) runs in its own process once the home page is
// compiled (on two cores it would slow that compile by a second or more), under names Next is told
// up front; an invalid catalog stops everything, naming file and place. Then the other main pages
// are compiled in the background (local/warm-up.ts), so a newcomer's clicks don't wait for them.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { rmSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { runPrepare } from "../lib/build/run-prepare";
import { DEV_DOCS_ASSETS } from "../lib/build/docs-assets";
import { parseLimits } from "../lib/limits/settings";
import type { RunningSandbox } from "./run";
import { expectedPortalSettings, stateDir } from "./settings";
import { warmUp } from "./warm-up";

const production = process.argv.includes("--start");
const fresh = process.argv.includes("--fresh");
const port = Number(process.env.SANDBOX_PORT ?? 4566);
const portalPort = Number(process.env.PORT ?? 3000);
const portalUrl = `http://localhost:${portalPort}`;
const root = process.cwd();

// Stage settings are checked at deploy; locally the limits are checked before anything starts.
try {
  parseLimits(process.env.PORTICO_LIMITS);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

let running: RunningSandbox | undefined;
/** The Next process serving the portal; its exit ends `npm run dev` (a replaced one's doesn't). */
let next: ChildProcess | undefined;
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  next?.kill("SIGTERM");
  await running?.sandbox.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

// Told to `next dev` so that its config doesn't build them before it serves (it builds them for --start).
const docsAssets: Record<string, string> = production ? {} : { PORTICO_DOCS_ASSETS: JSON.stringify(DEV_DOCS_ASSETS) };
const state = stateDir(root);
if (fresh) rmSync(state, { recursive: true, force: true });
const expected = expectedPortalSettings(state, { port, portalUrl });
// `next start` would serve pages within a second, before the sandbox is seeded: it waits for the seed.
if (!production) startNext({ ...expected, ...docsAssets });

// Loaded only now: the sandbox's modules take a moment to load, which `next dev` doesn't wait for.
const { banner, runSandbox } = await import("./run");
try {
  running = await runSandbox({ root, port, portalUrl, quiet: production });
} catch (error) {
  // Next may already be running: stop it too, or it would keep the portal's port.
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
    console.error(`Port ${port} is in use: is another sandbox (or LocalStack) running? Stop it, or set SANDBOX_PORT.`);
  else console.error(error);
  await stop(1);
  throw error;
}
console.log(banner(running, portalUrl));

if (next && !isDeepStrictEqual(expected, running.env)) {
  // The sandbox's pool was made before its ids were derived, or by hand: start Next again with its ids.
  console.log("  The sandbox's Cognito ids aren't the ones derived from its state: restarting Next with them.");
  const replaced = next;
  next = undefined;
  await stopChild(replaced);
}
if (!next && !stopping) startNext({ ...running.env, ...docsAssets });
if (!production && next) void prepareAndWarmUp(next);

/** Next's own bin on this Node.js (the project's Node 24), loopback only: the portal and its sandbox are for this machine. */
function startNext(env: Record<string, string>): void {
  const child = spawn(
    process.execPath,
    [createRequire(import.meta.url).resolve("next/dist/bin/next"), production ? "start" : "dev", "--port", String(portalPort), "--hostname", "127.0.0.1"],
    {
      stdio: "inherit",
      env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, ...env },
    },
  );
  child.on("exit", (code, signal) => {
    if (child === next) void stop(code ?? (signal ? 1 : 0));
  });
  next = child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** lib/build/prepare.ts in its own process; an invalid catalog stops `npm run dev` at once, naming file and place. */
function prepareForDev(): Promise<boolean> {
  return runPrepare({ dev: true, background: true }).then(
    () => true,
    (error: Error) => {
      console.error(`\n${error.message}`);
      void stop(1);
      return false;
    },
  );
}

/** The home page first, then prepare (catalog check, docs assets), then the other main pages (their pages link those assets). */
async function prepareAndWarmUp(portal: ChildProcess): Promise<void> {
  const origin = `http://127.0.0.1:${portalPort}`;
  const started = performance.now();
  const home = await warmUp(origin, portal, ["/"]);
  // Prepared even if the home page never answered (the catalog check may say why), unless Next is gone.
  if (portal.exitCode !== null || portal.signalCode !== null || !(await prepareForDev()) || !home) return;
  const rest = await warmUp(origin, portal);
  if (!rest) return;
  const failed = [...home.failed, ...rest.failed];
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (failed.length === 0) console.log(`  Portal ready: ${portalUrl} (catalog checked, main pages compiled in ${took} s)`);
  else console.log(`  Portal started, but ${failed.map((f) => `${f.page} answered ${f.status}`).join(", ")}: see the messages above.`);
}
