// npm run dev — the sandbox and the portal together: `next dev` (or `next start` with --start).
//
// Time to the first page (npm run bench -- dev): Next starts as early as it can. On a restart it
// starts at once, beside the sandbox, with the settings the sandbox wrote last time (ids are kept
// with its state); on a first start it waits for them. What next.config.ts would do before serving
// anything (check catalog/, build the docs pages' script and stylesheet: lib/build/prepare.ts) runs
// once the home page is compiled, under names Next is told up front; then the main pages are
// compiled in the background (local/warm-up.ts), so a newcomer's clicks don't wait for them.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { runPrepare } from "../lib/build/run-prepare";
import { DEV_DOCS_ASSETS } from "../lib/docs/build-assets";
import type { RunningSandbox } from "./run";
import { keptEnv, stateDir } from "./settings";
import { warmUp } from "./warm-up";

const production = process.argv.includes("--start");
const fresh = process.argv.includes("--fresh");
const port = Number(process.env.SANDBOX_PORT ?? 4566);
const portalPort = Number(process.env.PORT ?? 3000);
const portalUrl = `http://localhost:${portalPort}`;
const root = process.cwd();

// Told to `next dev` so that its config doesn't build them before it serves (it builds them for --start).
const docsAssets: Record<string, string> = production ? {} : { PORTICO_DOCS_ASSETS: JSON.stringify(DEV_DOCS_ASSETS) };
const kept = production || fresh ? undefined : keptEnv(stateDir(root), { port, portalUrl });
let next = kept ? startNext({ ...kept, ...docsAssets }) : undefined;

// Loaded only now: the sandbox's modules take a moment to load, which a restarted Next doesn't wait for.
const { banner, runSandbox } = await import("./run");
let running: RunningSandbox;
try {
  running = await runSandbox({ root, port, portalUrl, fresh, quiet: production });
} catch (error) {
  next?.kill("SIGTERM");
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(`Port ${port} is in use: is another sandbox (or LocalStack) running? Stop it, or set SANDBOX_PORT.`);
    process.exit(1);
  }
  throw error;
}
console.log(banner(running, portalUrl));

if (next && !sameSettings(kept!, running.env)) {
  // The sandbox's ids changed after all (its state was edited by hand): start Next again with them.
  console.log("  The sandbox's settings changed since the last start: restarting Next.");
  await stopNext(next);
  next = undefined;
}
next ??= startNext({ ...running.env, ...docsAssets });
const portal = next;

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  portal.kill("SIGTERM");
  await running.sandbox.close();
  process.exit(code);
};
portal.on("exit", (code) => void stop(code ?? 0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
if (!production) void prepareAndWarmUp();

/** Next's own bin on this Node.js (the project's Node 24), loopback only: the portal and its sandbox are for this machine. */
function startNext(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [createRequire(import.meta.url).resolve("next/dist/bin/next"), production ? "start" : "dev", "--port", String(portalPort), "--hostname", "127.0.0.1"], {
    stdio: "inherit",
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, ...env },
  });
}

async function stopNext(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function sameSettings(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** The home page first, then the catalog check and the docs assets (an invalid catalog stops everything), then the rest. */
async function prepareAndWarmUp(): Promise<void> {
  const origin = `http://127.0.0.1:${portalPort}`;
  const started = performance.now();
  if ((await warmUp(origin, portal, ["/"])) === undefined) return;
  try {
    await runPrepare({ dev: true });
  } catch (error) {
    console.error(`\n${(error as Error).message}`); // an invalid catalog/, named by file and place
    return stop(1);
  }
  if ((await warmUp(origin, portal)) === undefined) return;
  console.log(`  Portal ready: ${portalUrl} (catalog checked, main pages compiled in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
