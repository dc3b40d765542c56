import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { APIGatewayClient, CreateDeploymentCommand, CreateUsagePlanCommand, ImportRestApiCommand } from "@aws-sdk/client-api-gateway";
import autocannon from "autocannon";
import { stringify as toYaml } from "yaml";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../local/context";

export const root = path.resolve(import.meta.dirname, "..");

/**
 * The sandbox in its own process (as `npm run sandbox` runs it), so load and server don't share a thread.
 * Its state (and endpoints.json) lives in a temp `stateDir`, removed by stop(); `portalUrl` is the
 * portal its Cognito client redirects back to; `env` is added last (e.g. SANDBOX_BUDGET: "on" to keep
 * the control-plane budget, which is off by default here).
 */
export async function spawnSandbox(
  port: number,
  options: { portalUrl?: string; env?: Record<string, string> } = {},
): Promise<{ url: string; stateDir: string; stop(): Promise<void> }> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "portico-bench-"));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_STATE_DIR: stateDir,
      SANDBOX_BUDGET: "off",
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1",
      ...(options.portalUrl ? { PORTAL_URL: options.portalUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://localhost:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the sandbox did not start within 60 s")), 60_000);
      child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}`)));
      child.stdout!.on("data", (chunk: Buffer) => {
        if (!chunk.toString().includes("Portico sandbox")) return;
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    child.kill("SIGTERM");
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    stateDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export { freePort } from "../local/sandbox";

// ---------------------------------------------------------------------------------------------
// Twilio's 2010 API (1.9 MB of OpenAPI, 197 operations): the big API of the docs and agent benchmarks.

export const TWILIO_SPEC = path.resolve(process.env.BENCH_TWILIO_SPEC ?? path.join(root, "../shared/data/openapi/twilio_api_v2010.json"));
/** The Twilio API's slug in the benchmarks' catalog (/apis/twilio). */
export const TWILIO_SLUG = "twilio";

/** The spec's bytes and title; throws if BENCH_TWILIO_SPEC (or the default path) has no file. */
export function readTwilioSpec(): { bytes: Buffer; title: string } {
  if (!existsSync(TWILIO_SPEC)) throw new Error(`The Twilio spec is not at ${TWILIO_SPEC}: set BENCH_TWILIO_SPEC to twilio_api_v2010.json.`);
  const bytes = readFileSync(TWILIO_SPEC);
  return { bytes, title: (JSON.parse(bytes.toString()) as { info: { title: string } }).info.title };
}

/** Imports the spec as a REST API on the sandbox at `sandboxUrl`, deploys it to prod, and sells it with a usage plan named "Twilio". */
export async function importTwilio(sandboxUrl: string, spec: { bytes: Buffer; title: string }): Promise<{ restApiId: string }> {
  const apigw = new APIGatewayClient({ endpoint: sandboxUrl, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
  const imported = await apigw.send(new ImportRestApiCommand({ body: spec.bytes }));
  if (imported.name !== spec.title) throw new Error(`ImportRestApi named the API '${imported.name}', expected '${spec.title}'`);
  await apigw.send(new CreateDeploymentCommand({ restApiId: imported.id!, stageName: "prod" }));
  await apigw.send(
    new CreateUsagePlanCommand({ name: "Twilio", description: "Twilio's 2010 API (benchmark).", apiStages: [{ apiId: imported.id!, stage: "prod" }] }),
  );
  return { restApiId: imported.id! };
}

/** Writes the repo's catalog to `dir`, plus a Twilio product (usage plan "Twilio") whose API docs come from the spec file. */
export function writeTwilioCatalog(dir: string, spec: { title: string }): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(root, "catalog"), dir, { recursive: true });
  copyFileSync(TWILIO_SPEC, path.join(dir, "apis/twilio_api_v2010.json"));
  writeFileSync(
    path.join(dir, "products/twilio.yaml"),
    toYaml({
      name: "Twilio",
      usagePlan: "Twilio",
      summary: "Twilio's 2010 REST API, for the benchmarks.",
      apis: [{ api: spec.title, stage: "prod", slug: TWILIO_SLUG, spec: "apis/twilio_api_v2010.json" }],
    }),
  );
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

/** A bounded load (fixed duration, fixed connections) against a loopback URL. */
export async function load(options: {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  seconds: number;
  connections: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
    duration: options.seconds,
    connections: options.connections,
    pipelining: 1,
  });
  const statuses: Record<string, number> = {};
  for (const code of ["1", "2", "3", "4", "5"] as const) {
    const count = result[`${code}xx` as "2xx"];
    if (count) statuses[`${code}xx`] = count;
  }
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statuses };
}

export function table(rows: Record<string, string | number>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => String(r[c]))))].join("\n");
}

/** What to stop when a benchmark ends, fails or is interrupted, newest first. */
export class Cleanup {
  private readonly tasks: { name: string; run: () => unknown; now?: () => void }[] = [];
  /** `now`: a synchronous first step for a signal, e.g. SIGTERM to a child before anything is awaited. */
  add(name: string, run: () => unknown, now?: () => void): void {
    this.tasks.push({ name, run, now });
  }
  /** Signals every child at once, so none outlives the benchmark even if it is killed mid-cleanup. */
  signalAll(): void {
    for (const task of this.tasks) task.now?.();
  }
  private running: Promise<void> | undefined;
  /** Every caller (the normal end, an error, a signal) waits for the same single pass. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (const task of this.tasks.splice(0).reverse()) {
        try {
          await task.run();
        } catch (error) {
          console.error(`cleanup (${task.name}) failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/** The sandbox announces http://localhost:<port> but listens on 127.0.0.1. */
export const loopback = (url: string) => url.replace(/^(https?:\/\/)localhost(?=[:/]|$)/, "$1127.0.0.1");

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The nearest-rank percentile (`p` in 0–100); NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Milliseconds for a table: whole above 10 ms, one decimal below; "-" for NaN. */
export const ms = (value: number) => (Number.isNaN(value) ? "-" : value >= 10 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

/** Runs `fn` over `items` with at most `limit` at a time; the first failure stops new work and throws. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (failed === undefined && next < items.length) {
        const index = next++;
        try {
          await fn(items[index]!, index);
        } catch (error) {
          failed ??= error;
        }
      }
    }),
  );
  if (failed !== undefined) throw failed;
}

export function step(message: string): () => void {
  const started = performance.now();
  process.stdout.write(`  ${message} … `);
  return () => console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Runs a benchmark with its cleanup: servers and temp files go at the end, on failure, and on
 * Ctrl-C or SIGTERM (`on`, not `once`: a second signal must not cut the cleanup short).
 */
export async function runBench(bench: (cleanup: Cleanup) => Promise<void>, stopping = "stopping servers"): Promise<void> {
  // The sandbox and next start use the AWS SDK too: one Node-version notice per process is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = async () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\ninterrupted: ${stopping}`);
    cleanup.signalAll();
    await cleanup.runAll();
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await bench(cleanup);
  } catch (error) {
    // Interrupted: the cleanup stops what the benchmark was waiting for; that failure is not news.
    if (!interrupted) throw error;
  } finally {
    await cleanup.runAll();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
