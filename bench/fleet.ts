// npm run bench -- fleet: the acceptance benchmark of issue #18 ("Fleet-wide limits"). A fleet of
// `next start` processes (8 by default, different ports, one shared AUTH_SECRET as the Lambda
// instances share one) and the scheduled jobs (run inside the sandbox, triggered during the load),
// all against one sandbox with API Gateway's account budget on (10 requests/s, burst 40, and the
// per-operation quotas). 100 simulated developers, each with their own IP address, walk a key's
// life cycle with think time (dashboard, create a key, subscribe, dashboard, rotate, dashboard,
// unsubscribe, revoke), every request going to any instance of the fleet. The same run (same seed:
// same users, same think times, same instances) is made twice: with the shared control-plane
// budget ("shared", lib/apigateway/limits.ts) and with each process pacing alone ("process", the
// portal before #18). The sandbox counts every caller together, as AWS does, and reports what it
// admitted second by second. Figures are printed, never judged: nothing here fails on a timing.
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { APIGatewayClient, GetRestApisCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../local/context";
import { Browser, buildPortal, loopback, signUp, startPortal, type Reply } from "./portal";
import type { Child } from "./processes";
import { Cleanup, freePort, ms, percentile, pool, runBench, sleep, spawnSandbox, step, table } from "./support";

const int = (name: string, fallback: number, min: number) => Math.max(min, Math.floor(Number(process.env[name] ?? fallback) || fallback));
const USERS = int("BENCH_FLEET_USERS", 100, 1);
const PORTALS = int("BENCH_FLEET_PORTALS", 8, 1);
/** Seconds of measured load per mode. */
const SECONDS = int("BENCH_FLEET_SECONDS", 75, 10);
/** Mean think time between a user's actions; by default chosen so the users offer about OFFERED_RPS control-plane requests/s. */
const THINK_OVERRIDE = process.env.BENCH_FLEET_THINK_SECONDS ? Math.max(0.5, Number(process.env.BENCH_FLEET_THINK_SECONDS)) : undefined;
const MODES = (process.env.BENCH_FLEET_MODES ?? "shared,process").split(",").map((m) => m.trim()) as Mode[];
const SEED = int("BENCH_FLEET_SEED", 18, 0);

/** The stage settings under test (lib/limits/settings.ts). */
const SHARE_RPS = 5;
const SHARE_BURST = 10;
const WAIT_SECONDS = 6;
const ACCOUNT_RPS = 10;
const ACCOUNT_BURST = 40;
/** What the users should offer by default: a bit above the share. */
const OFFERED_RPS = Number(process.env.BENCH_FLEET_OFFERED_RPS ?? SHARE_RPS * 1.3);

const SIGNUP_CONCURRENCY = 6;
const PROVISION_CONCURRENCY = 4;
const START_CONCURRENCY = 4;
/** After the load, how long the jobs still running may take before they count as unfinished. */
const JOB_DRAIN_SECONDS = int("BENCH_FLEET_JOB_DRAIN_SECONDS", 90, 0);
const PASSWORD = "Bench-pass-1";

type Mode = "shared" | "process";
for (const mode of MODES) if (mode !== "shared" && mode !== "process") throw new Error(`BENCH_FLEET_MODES: unknown mode "${mode}" (shared, process)`);

const limitsFor = (mode: Mode) => JSON.stringify({ controlPlane: { pacing: mode, share: SHARE_RPS, burst: SHARE_BURST, waitSeconds: WAIT_SECONDS } });

// ---------------------------------------------------------------------------------------------
// The users' script.

const CYCLE = ["dashboard", "create key", "subscribe", "dashboard", "rotate", "dashboard", "unsubscribe", "revoke"] as const;
type Kind = (typeof CYCLE)[number];
const KINDS: Kind[] = ["create key", "subscribe", "dashboard", "rotate", "unsubscribe", "revoke"];

/**
 * How an action ended, from the user's side. A 503 with Retry-After is the portal's "busy, try
 * again in N s" (its wait for a turn would have passed waitSeconds); a 503 without it is API Gateway
 * throttling (or a 5xx) that outlasted the SDK's retries: a control-plane 429 reaching a person.
 */
type Outcome = "ok" | "busy" | "aws-throttled" | "rate-limited" | "5xx" | "4xx" | "network";
const FAILURES: Outcome[] = ["busy", "aws-throttled", "rate-limited", "5xx", "4xx", "network"];

interface SimUser {
  index: number;
  email: string;
  ip: string;
  browser: Browser;
  /** The user's active (not rotated) portal key, if any. */
  keyId?: string;
  planId?: string;
  /** Where in CYCLE the user starts (the fleet is in a steady state: not everyone starts with no key). */
  start: number;
  random: () => number;
}

interface Action {
  kind: Kind;
  outcome: Outcome;
  status: number;
  ms: number;
  /** Seconds after the load started. */
  at: number;
  detail?: string;
}

/** A small seeded PRNG (mulberry32): both modes see the same think times and instances. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcomeOf(reply: Reply | undefined, okStatuses: number[]): Outcome {
  if (!reply) return "network";
  if (okStatuses.includes(reply.status)) return "ok";
  if (reply.status === 503) return reply.retryAfter !== undefined ? "busy" : "aws-throttled";
  if (reply.status === 429) return "rate-limited";
  if (reply.status >= 500) return "5xx";
  return "4xx";
}

type Portals = string[];

/** One step of the script, on `portal`; undefined when the user's state makes it moot (nothing to revoke…). */
async function act(user: SimUser, kind: Kind, portal: string): Promise<Omit<Action, "at"> | undefined> {
  const started = performance.now();
  const send = async (route: string, init: { method?: string; json?: unknown } = {}) => {
    try {
      return await user.browser.request(`${portal}${route}`, init);
    } catch {
      return undefined;
    }
  };
  const done = (reply: Reply | undefined, ok: number[]) => ({
    kind,
    outcome: outcomeOf(reply, ok),
    status: reply?.status ?? 0,
    ms: performance.now() - started,
    ...(reply && !ok.includes(reply.status) ? { detail: `${reply.status} ${reply.text.slice(0, 160)}` } : {}),
  });
  const json = (reply: Reply) => {
    try {
      return JSON.parse(reply.text) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  switch (kind) {
    case "dashboard": {
      const page = await send("/dashboard");
      if (page?.status !== 200) return done(page, [200]);
      if (!user.planId) return done(page, [200]);
      const usage = await send(`/api/usage?plan=${encodeURIComponent(user.planId)}&days=7`);
      return done(usage, [200]);
    }
    case "create key": {
      if (user.keyId) return undefined;
      const reply = await send("/api/keys", { method: "POST", json: { name: `fleet-${user.index}-${Math.floor(user.random() * 1e9).toString(36)}` } });
      if (reply?.status === 201) user.keyId = (json(reply) as { key?: { id?: string } }).key?.id;
      return done(reply, [201]);
    }
    case "subscribe": {
      if (user.planId) return undefined;
      const reply = await send("/api/subscriptions", { method: "POST", json: { product: "free" } });
      if (reply?.status === 200) user.planId = (json(reply) as { subscription?: { planId?: string } }).subscription?.planId;
      return done(reply, [200]);
    }
    case "rotate": {
      if (!user.keyId) return undefined;
      const reply = await send(`/api/keys/${encodeURIComponent(user.keyId)}/rotate`, { method: "POST", json: { grace: "1h" } });
      // The old key retires after the grace period: the key sweeper deletes it (run below with a later "now").
      if (reply?.status === 200) user.keyId = (json(reply) as { key?: { id?: string } }).key?.id;
      return done(reply, [200]);
    }
    case "unsubscribe": {
      if (!user.planId) return undefined;
      const reply = await send(`/api/subscriptions/${encodeURIComponent(user.planId)}`, { method: "DELETE" });
      if (reply?.status === 204) user.planId = undefined;
      return done(reply, [204]);
    }
    case "revoke": {
      if (!user.keyId) return undefined;
      const reply = await send(`/api/keys/${encodeURIComponent(user.keyId)}`, { method: "DELETE" });
      if (reply?.status === 204 || reply?.status === 404) user.keyId = undefined;
      return done(reply, [204]);
    }
  }
}

/** The user's loop: from their starting step, think, act on a random instance, until the load ends. */
async function userLoop(user: SimUser, portals: Portals, think: number, loadStart: number, end: number, actions: Action[]): Promise<void> {
  // Thinking never runs past the end of the load: no action starts after it, none is held back.
  const pause = (seconds: number) => sleep(Math.max(0, Math.min(seconds * 1000, end - performance.now())));
  // Staggered first action: the fleet is already running when the measurement starts.
  await pause(user.random() * think);
  for (let i = user.start; performance.now() < end; i++) {
    const kind = CYCLE[i % CYCLE.length]!;
    const portal = portals[Math.floor(user.random() * portals.length)]!;
    const at = (performance.now() - loadStart) / 1000;
    const result = await act(user, kind, portal);
    if (!result) continue;
    actions.push({ ...result, at });
    await pause(think * (0.5 + user.random()));
  }
}

// ---------------------------------------------------------------------------------------------
// The sandbox's view: every control-plane request, every caller together.

interface CallsReport {
  calls: Record<string, number>;
  throttled: number;
  admitted: number;
  perSecond: { maxAdmittedInCalendarSecond: number; maxAdmittedInSlidingSecond: number; maxThrottledInCalendarSecond: number };
  series: { second: number; admitted: number; throttled: number }[];
}

/** The sandbox's counts: of every caller, or of one access key's requests (`caller`). */
async function sandboxCalls(sandboxUrl: string, caller?: string): Promise<CallsReport> {
  const res = await fetch(`${loopback(sandboxUrl)}/_sandbox/apigateway/calls?series${caller ? `&caller=${encodeURIComponent(caller)}` : ""}`);
  const text = await res.text();
  const body = JSON.parse(text) as Partial<CallsReport>;
  if (res.status !== 200 || !body.perSecond || !body.series) throw new Error(`GET /_sandbox/apigateway/calls answered ${res.status}: ${text.slice(0, 300)}`);
  return body as CallsReport;
}

const totalRequests = (r: CallsReport) => Object.values(r.calls).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// The owner: their deploys and console share the account's budget with the fleet (their own access key).

const OWNER_RPS = Math.max(0, Number(process.env.BENCH_FLEET_OWNER_RPS ?? 4));
const OWNER_KEY = "owner-deploys";
/** The owner's only operation here: the fleet never calls it, so its counts stay apart. */
const OWNER_OPERATION = "GetStages";

interface OwnerStats {
  sent: number;
  ok: number;
  throttled: number;
  failed: number;
}

/** The owner reading their API's stages at OWNER_RPS, steadily, with no retries: each 429 is one the owner would see. */
async function ownerTraffic(sandboxUrl: string): Promise<{ stats: OwnerStats; stop(): Promise<void> }> {
  const client = new APIGatewayClient({
    endpoint: loopback(sandboxUrl),
    region: SANDBOX_REGION,
    credentials: { accessKeyId: OWNER_KEY, secretAccessKey: "owner" },
    maxAttempts: 1,
  });
  const restApiId = (await client.send(new GetRestApisCommand({}))).items?.[0]?.id;
  if (!restApiId) throw new Error("the sandbox has no REST API for the owner to read");
  const stats: OwnerStats = { sent: 0, ok: 0, throttled: 0, failed: 0 };
  const pending: Promise<void>[] = [];
  const timer =
    OWNER_RPS > 0
      ? setInterval(() => {
          stats.sent++;
          pending.push(
            client.send(new GetStagesCommand({ restApiId })).then(
              () => void stats.ok++,
              (error: { $metadata?: { httpStatusCode?: number } }) => void (error?.$metadata?.httpStatusCode === 429 ? stats.throttled++ : stats.failed++),
            ),
          );
        }, 1000 / OWNER_RPS)
      : undefined;
  return {
    stats,
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      client.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Jobs: triggered on the sandbox's scheduler during the load (its timers are off).

const JOB_PLAN: { job: "usage-collector" | "reconciler" | "key-sweeper"; at: number }[] = [
  { job: "usage-collector", at: 0.1 },
  { job: "reconciler", at: 0.3 },
  { job: "key-sweeper", at: 0.45 },
  { job: "usage-collector", at: 0.6 },
  { job: "key-sweeper", at: 0.85 },
];

interface JobRun {
  job: string;
  /** ok: the run finished and reported no failed item; partial: finished with failed items; failed: threw or timed out. */
  outcome: "ok" | "partial" | "failed" | "skipped" | "unfinished";
  seconds: number;
  summary: string;
}

function summarizeReport(job: string, result: Record<string, unknown>): { failedItems: number; summary: string } {
  const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === "number" ? v : undefined);
  const fields = Object.entries(result)
    .map(([k, v]) => [k, count(v)] as const)
    .filter(([, v]) => v !== undefined);
  const failedItems = count(result.failed) ?? 0;
  return { failedItems, summary: `${job}: ${fields.map(([k, v]) => `${k} ${v}`).join(", ")}` };
}

function runJobs(sandboxUrl: string, seconds: number): { runs: JobRun[]; finished: Promise<void>; stop(): void } {
  const runs: JobRun[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const all: Promise<void>[] = [];
  const timers: NodeJS.Timeout[] = [];
  const trigger = (job: string) => {
    if (inFlight.has(job)) {
      runs.push({ job, outcome: "skipped", seconds: 0, summary: `${job}: previous run still going` });
      return;
    }
    // The sweeper runs "2 hours later": keys rotated with a 1 h grace during the load are due, so it has deleting to do.
    const time = job === "key-sweeper" ? new Date(Date.now() + 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
    const started = performance.now();
    const entry: JobRun = { job, outcome: "unfinished", seconds: 0, summary: `${job}: still running` };
    runs.push(entry);
    const run = (async () => {
      try {
        const res = await fetch(`${loopback(sandboxUrl)}/_sandbox/scheduler/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ job, ...(time ? { time } : {}) }),
        });
        const body = (await res.json()) as { result?: Record<string, unknown>; error?: string };
        entry.seconds = (performance.now() - started) / 1000;
        if (res.status !== 200) {
          entry.outcome = "failed";
          entry.summary = `${job}: ${body.error?.split("\n")[0]?.slice(0, 160) ?? res.status}`;
          return;
        }
        const { failedItems, summary } = summarizeReport(job, body.result ?? {});
        entry.outcome = failedItems ? "partial" : "ok";
        entry.summary = summary;
      } catch (error) {
        entry.outcome = "failed";
        entry.summary = `${job}: ${(error as Error).message}`;
      } finally {
        inFlight.delete(job);
      }
    })();
    inFlight.set(job, run);
    all.push(run);
  };
  for (const { job, at } of JOB_PLAN) timers.push(setTimeout(() => trigger(job), at * seconds * 1000));
  return {
    runs,
    finished: (async () => {
      await sleep(seconds * 1000);
      // A job triggered near the end is still owed its run; wait for whatever was started.
      await Promise.all(all);
    })(),
    stop: () => timers.forEach(clearTimeout),
  };
}

// ---------------------------------------------------------------------------------------------
// Machine: how hard the fleet pressed the two cores.

/** Resident memory (MB) of a process group (next start and whatever it spawned). */
function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      kb += Number(rss ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

// ---------------------------------------------------------------------------------------------

interface ModeResult {
  mode: Mode;
  owner: OwnerStats;
  think: number;
  loadSeconds: number;
  drainSeconds: number;
  actions: Action[];
  calls: CallsReport;
  jobs: JobRun[];
  offeredRps: number;
  portalRssMb: number[];
  loadAverage: number;
  notes: string[];
}

/** Control-plane requests (per the sandbox, admitted and refused) per script step, measured once on a quiet fleet. */
type Costs = Record<Kind, number>;

export async function run(): Promise<void> {
  await runBench(bench, "stopping the fleet and the sandbox");
}

async function bench(cleanup: Cleanup): Promise<void> {
  const started = performance.now();
  console.log(
    `\nFleet benchmark (#18): ${PORTALS} × next start + the scheduled jobs, ${USERS} simulated developers, against one sandbox with API Gateway's ` +
      `budget on (${ACCOUNT_RPS} rps, burst ${ACCOUNT_BURST}; CreateApiKey/DeleteApiKey 5/s); modes: ${MODES.join(", ")}; ${SECONDS} s of load each.\n` +
      `Stage settings: controlPlane share ${SHARE_RPS} rps, burst ${SHARE_BURST}, waitSeconds ${WAIT_SECONDS}; portal rate limits at their defaults ` +
      `(every user has an X-Forwarded-For of their own).\n` +
      `Think time: ${THINK_OVERRIDE ? `${THINK_OVERRIDE} s (BENCH_FLEET_THINK_SECONDS)` : `chosen so the users offer ≈ ${num(OFFERED_RPS)} control-plane requests/s (BENCH_FLEET_OFFERED_RPS)`}; seed ${SEED}. ` +
      `Meanwhile the owner's deploys and console call API Gateway at ${num(OWNER_RPS)} rps with their own key (BENCH_FLEET_OWNER_RPS), inside the half the share leaves them.\n` +
      `Knobs: BENCH_FLEET_USERS, BENCH_FLEET_PORTALS, BENCH_FLEET_SECONDS, BENCH_FLEET_MODES, BENCH_FLEET_JOB_DRAIN_SECONDS, BENCH_FLEET_OWNER_RPS.\n`,
  );
  const build = await buildPortal(cleanup);
  const results: ModeResult[] = [];
  let costs: Costs | undefined;
  let think = THINK_OVERRIDE;
  for (const mode of MODES) {
    const result = await runMode(mode, build.env, cleanup, { costs, think });
    costs ??= result.costs;
    think ??= result.think;
    results.push(result);
  }
  report(results, costs!, (performance.now() - started) / 1000);
}

async function runMode(
  mode: Mode,
  buildEnv: NodeJS.ProcessEnv,
  outer: Cleanup,
  known: { costs?: Costs; think?: number },
): Promise<ModeResult & { costs: Costs }> {
  console.log(`\n── mode "${mode}": PORTICO_LIMITS=${limitsFor(mode)}`);
  // This mode's servers go when it ends (the next mode needs the cores), or with everything on a failure.
  const cleanup = new Cleanup();
  outer.add(
    `${mode} fleet`,
    () => cleanup.runAll(),
    () => cleanup.signalAll(),
  );
  try {
    return await fleetRun(mode, buildEnv, cleanup, known);
  } finally {
    const done = step(`${mode}: stopping the fleet and the sandbox`);
    await cleanup.runAll();
    done();
  }
}

async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

async function fleetRun(
  mode: Mode,
  buildEnv: NodeJS.ProcessEnv,
  cleanup: Cleanup,
  known: { costs?: Costs; think?: number },
): Promise<ModeResult & { costs: Costs }> {
  const notes: string[] = [];
  const [sandboxPort = 0, ...portalPorts] = await distinctPorts(PORTALS + 1);
  const portalUrls = portalPorts.map((p) => `http://localhost:${p}`);
  const limits = limitsFor(mode);

  // 1. The sandbox: budget on, timers off (the bench triggers the jobs), the mode's limits for the jobs running inside it.
  let done = step(`${mode}: sandbox (budget on, scheduled jobs on demand)`);
  const sandbox = await spawnSandbox(sandboxPort, {
    portalUrl: portalUrls[0],
    env: { SANDBOX_BUDGET: "on", SANDBOX_SCHEDULE: "off", PORTICO_LIMITS: limits },
  });
  cleanup.add("sandbox", () => sandbox.stop());
  // The hosted login sends people back to whichever instance they started on: register all of them.
  const endpoints = JSON.parse(readFileSync(path.join(sandbox.stateDir, "endpoints.json"), "utf8")) as { env: Record<string, string> };
  const idp = new CognitoIdentityProviderClient({ endpoint: loopback(sandbox.url), region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS });
  const appClient = (
    await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: endpoints.env.COGNITO_USER_POOL_ID, ClientId: endpoints.env.COGNITO_CLIENT_ID }))
  ).UserPoolClient!;
  const update: UpdateUserPoolClientCommandInput = {
    UserPoolId: appClient.UserPoolId!,
    ClientId: appClient.ClientId!,
    ClientName: appClient.ClientName,
    AllowedOAuthFlows: appClient.AllowedOAuthFlows,
    AllowedOAuthFlowsUserPoolClient: appClient.AllowedOAuthFlowsUserPoolClient,
    AllowedOAuthScopes: appClient.AllowedOAuthScopes,
    CallbackURLs: portalUrls.map((u) => `${u}/api/auth/callback/cognito`),
    LogoutURLs: portalUrls.map((u) => `${u}/`),
    SupportedIdentityProviders: appClient.SupportedIdentityProviders,
    ExplicitAuthFlows: appClient.ExplicitAuthFlows,
    PreventUserExistenceErrors: appClient.PreventUserExistenceErrors,
    EnableTokenRevocation: appClient.EnableTokenRevocation,
  };
  await idp.send(new UpdateUserPoolClientCommand(update));
  done();

  // 2. The fleet: next start × PORTALS, all with the mode's limits and one AUTH_SECRET.
  done = step(`${mode}: ${PORTALS} × next start (${START_CONCURRENCY} starting at a time)`);
  const authSecret = randomBytes(32).toString("base64url");
  const children: Child[] = [];
  await pool(portalPorts, START_CONCURRENCY, async (port, i) => {
    const { child } = await startPortal(cleanup, { port, sandboxStateDir: sandbox.stateDir, env: { ...buildEnv, PORTICO_LIMITS: limits }, authSecret });
    children[i] = child;
  });
  // Each instance reads the catalog once (plans, APIs, exports) before the measurement.
  const anonymous = new Browser({ "x-forwarded-for": "10.254.0.1" });
  for (const portal of portalUrls) {
    for (const route of ["/apis", "/products/free"]) {
      const reply = await anonymous.request(`${portal}${route}`);
      if (reply.status !== 200) throw new Error(`${portal}${route} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    }
  }
  done();

  // 3. Sign-ups, spread over the instances (not measured).
  const runId = Date.now().toString(36);
  const users: SimUser[] = [];
  done = step(`${mode}: sign-up of ${USERS} developers, ${SIGNUP_CONCURRENCY} at a time, spread over the instances`);
  await pool(
    Array.from({ length: USERS + 1 }, (_, i) => i),
    SIGNUP_CONCURRENCY,
    async (i) => {
      // User USERS is the calibration user (the fleet's quiet costs per step, measured in the first mode).
      const ip = `10.${1 + Math.floor(i / 250)}.${i % 250}.${10 + (i % 7)}`;
      const email = `fleet-${runId}-${String(i).padStart(3, "0")}@example.com`;
      const headers = { "x-forwarded-for": ip };
      const browser = await signUp(portalUrls[i % PORTALS]!, { email, name: `Fleet Developer ${i}`, password: PASSWORD }, { headers });
      users[i] = { index: i, email, ip, browser, start: i % CYCLE.length, random: seeded(SEED * 1_000 + i) };
    },
  );
  const calibrationUser = users.pop()!;
  done();

  // 4. Calibration (first mode only): the control-plane requests of each step on a quiet fleet.
  let costs = known.costs;
  if (!costs) {
    done = step(`${mode}: calibration (one user walks the script once, alone)`);
    const per: Partial<Record<Kind, number[]>> = {};
    for (const kind of CYCLE) {
      const before = totalRequests(await sandboxCalls(sandbox.url));
      const result = await act(calibrationUser, kind, portalUrls[0]!);
      if (!result || result.outcome !== "ok") throw new Error(`calibration: ${kind} ${result ? `ended ${result.outcome}: ${result.detail}` : "was skipped"}`);
      (per[kind] ??= []).push(totalRequests(await sandboxCalls(sandbox.url)) - before);
    }
    costs = Object.fromEntries(KINDS.map((k) => [k, (per[k] ?? [0]).reduce((a, b) => a + b, 0) / (per[k]?.length ?? 1)])) as Costs;
    done();
  }
  const perCycle = CYCLE.reduce((n, kind) => n + costs![kind], 0);
  // Steady state: each user takes one step per think time (+ its latency, ~0.3 s), so the users offer
  // USERS × (requests per cycle / steps per cycle) / think requests per second.
  const think = known.think ?? Math.max(1, (USERS * perCycle) / CYCLE.length / OFFERED_RPS - 0.3);

  // 5. The fleet in a steady state: users who start later in the cycle already hold a key (and a plan).
  done = step(`${mode}: provisioning (users who start mid-cycle get their key and plan first), ${PROVISION_CONCURRENCY} at a time`);
  let provisionRepeats = 0;
  await pool(users, PROVISION_CONCURRENCY, async (user) => {
    const needs: Kind[] = [];
    if (user.start >= 2) needs.push("create key");
    if (user.start >= 3 && user.start <= 6) needs.push("subscribe");
    for (const kind of needs) {
      for (let attempt = 1; ; attempt++) {
        const result = await act(user, kind, portalUrls[user.index % PORTALS]!);
        if (!result || result.outcome === "ok") break;
        if (attempt >= 8) throw new Error(`provisioning ${user.email}: ${kind} ended ${result.outcome}: ${result.detail}`);
        provisionRepeats++;
        await sleep(1000 + Math.random() * 2000);
      }
    }
  });
  if (provisionRepeats) notes.push(`provisioning (before the measurement) repeated ${provisionRepeats} actions that failed (busy or throttled)`);
  done();

  // The owner's client finds their API before the counts are reset.
  const owner = await ownerTraffic(sandbox.url);
  owner.stats.sent = 0;
  // Let the budget refill and the limiter's buckets settle before the measured run.
  await sleep(4_000);
  await fetch(`${loopback(sandbox.url)}/_sandbox/apigateway/calls`, { method: "DELETE" }).then((r) => r.arrayBuffer());

  // 6. The measured load: users + jobs for SECONDS, then the actions and jobs in flight finish.
  done = step(`${mode}: load — ${USERS} users (think ${think.toFixed(1)} s on average) + jobs for ${SECONDS} s, then in-flight work finishes`);
  const actions: Action[] = [];
  const loadStart = performance.now();
  const end = loadStart + SECONDS * 1000;
  const jobs = runJobs(sandbox.url, SECONDS);
  owner.stats.sent = owner.stats.ok = owner.stats.throttled = owner.stats.failed = 0;
  const ownerStopped = sleep(SECONDS * 1000).then(() => owner.stop());
  let loadAverage = 0;
  let portalRssMb: number[] = [];
  const sampler = setTimeout(() => {
    loadAverage = os.loadavg()[0]!;
    portalRssMb = children.map((c) => groupRssMb(c.process.pid!));
  }, SECONDS * 900);
  await Promise.all(users.map((user) => userLoop(user, portalUrls, think, loadStart, end, actions)));
  const usersDone = performance.now();
  const drained = await Promise.race([
    jobs.finished.then(() => true),
    sleep(Math.max(0, end + JOB_DRAIN_SECONDS * 1000 - performance.now())).then(() => false),
  ]);
  jobs.stop();
  clearTimeout(sampler);
  if (!drained) notes.push(`jobs still running ${JOB_DRAIN_SECONDS} s after the load ended were not waited for (counted "unfinished")`);
  await ownerStopped;
  // The fleet's own requests (every instance and job signs with the sandbox's key); the owner's are counted apart.
  const calls = await sandboxCalls(sandbox.url, SANDBOX_CREDENTIALS.accessKeyId);
  delete calls.calls[OWNER_OPERATION];
  const drainSeconds = (performance.now() - end) / 1000;
  done();
  // The limiter says once in a process's log when it stops using the shared table (lib/limits/shared.ts).
  const fellBack = children.filter((c) => c.output().includes("[limits]")).length;
  if (fellBack) notes.push(`${fellBack} of ${PORTALS} instances logged "[limits]": the shared table failed them and they paced alone for a while`);
  if ((usersDone - end) / 1000 > 5) notes.push(`the users' last actions ended ${((usersDone - end) / 1000).toFixed(1)} s after the load window`);

  const attempted = actions.reduce((n, a) => n + costs![a.kind], 0);
  return {
    mode,
    owner: owner.stats,
    think,
    loadSeconds: SECONDS,
    drainSeconds,
    actions,
    calls,
    jobs: jobs.runs,
    offeredRps: attempted / SECONDS,
    portalRssMb,
    loadAverage,
    notes,
    costs,
  };
}

// ---------------------------------------------------------------------------------------------

const num = (value: number) => (!Number.isFinite(value) ? "-" : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? "-" : "∞") : `${num(a / b)}x`);

function report(results: ModeResult[], costs: Costs, totalSeconds: number): void {
  const cols = (f: (r: ModeResult) => string | number) => Object.fromEntries(results.map((r) => [r.mode, f(r)]));
  const both = results.length === 2 ? results : undefined;
  const row = (what: string, f: (r: ModeResult) => string | number, compare?: (r: ModeResult) => number) => ({
    "": what,
    ...cols(f),
    ...(both ? { [`${both[1]!.mode} / ${both[0]!.mode}`]: compare ? ratio(compare(both[1]!), compare(both[0]!)) : "" } : {}),
  });
  const failed = (r: ModeResult, outcomes: Outcome[] = FAILURES) => r.actions.filter((a) => outcomes.includes(a.outcome)).length;
  const overShare = (r: ModeResult) => r.calls.series.filter((s) => s.admitted > SHARE_RPS).length;
  const overAccount = (r: ModeResult) => r.calls.series.filter((s) => s.admitted >= ACCOUNT_RPS).length;
  const admittedOf = (r: ModeResult) => r.calls.admitted;
  const measuredSeconds = (r: ModeResult) => r.loadSeconds + r.drainSeconds;
  const jobsOf = (r: ModeResult, outcome: JobRun["outcome"]) => r.jobs.filter((j) => j.outcome === outcome).length;

  console.log(`\nCosts measured on a quiet fleet (one user, alone): control-plane requests per step`);
  console.log(
    `  ${KINDS.map((k) => `${k} ${num(costs[k])}`).join(", ")}; a whole cycle (${CYCLE.join(" → ")}) ${num(CYCLE.reduce((n, k) => n + costs[k], 0))}`,
  );

  console.log(
    `\nFleet-wide control-plane budget — counted by the sandbox, the fleet's requests (${PORTALS} instances + jobs) apart from the owner's, ` +
      `while the account's one budget counts both together, as AWS does`,
  );
  console.log(
    `(the load: ${SECONDS} s of users + jobs; the counts run until the last action and job finished; account budget ${ACCOUNT_RPS} rps burst ${ACCOUNT_BURST}, share ${SHARE_RPS} rps burst ${SHARE_BURST})\n`,
  );
  console.log(
    table([
      row(
        "users' offered control-plane rate (≈: steps attempted × quiet costs / load s)",
        (r) => `${num(r.offeredRps)} rps`,
        (r) => r.offeredRps,
      ),
      row("mean think time / actions attempted", (r) => `${num(r.think)} s / ${r.actions.length}`),
      row(
        "the fleet's requests reaching the sandbox (admitted + throttled)",
        (r) => r.calls.admitted + r.calls.throttled,
        (r) => r.calls.admitted + r.calls.throttled,
      ),
      row("control-plane requests admitted", admittedOf, admittedOf),
      row("  per second on average (over load + drain)", (r) => `${num(admittedOf(r) / measuredSeconds(r))} (${num(measuredSeconds(r))} s)`),
      row(
        `max admitted in one calendar second (share ${SHARE_RPS}, ≤ ${SHARE_RPS + SHARE_BURST} with its burst)`,
        (r) => r.calls.perSecond.maxAdmittedInCalendarSecond,
        (r) => r.calls.perSecond.maxAdmittedInCalendarSecond,
      ),
      row(
        `max admitted in any sliding 1 s (share ${SHARE_RPS} + burst ${SHARE_BURST} allow ${SHARE_RPS + SHARE_BURST})`,
        (r) => r.calls.perSecond.maxAdmittedInSlidingSecond,
        (r) => r.calls.perSecond.maxAdmittedInSlidingSecond,
      ),
      row(
        `max mean over any 10 consecutive seconds (share ${SHARE_RPS}; its burst allows ${num(SHARE_RPS + SHARE_BURST / 10)})`,
        (r) => num(maxRollingMean(r.calls.series, 10)),
        (r) => maxRollingMean(r.calls.series, 10),
      ),
      row(`calendar seconds above the share (> ${SHARE_RPS} admitted)`, (r) => `${overShare(r)} of ${r.calls.series.length}`, overShare),
      row(`calendar seconds at the account's whole ${ACCOUNT_RPS} rps or more`, overAccount, overAccount),
      row(
        "429s the sandbox returned to the fleet (throttled)",
        (r) => r.calls.throttled,
        (r) => r.calls.throttled,
      ),
      row("  most 429s in one calendar second", (r) => r.calls.perSecond.maxThrottledInCalendarSecond),
      row(
        `the owner's own calls (deploys, console: ${num(OWNER_RPS)} rps, no retries) refused with 429`,
        (r) => `${r.owner.throttled} of ${r.owner.sent}${r.owner.failed ? ` (+${r.owner.failed} other errors)` : ""}`,
        (r) => r.owner.throttled,
      ),
    ]),
  );
  for (const r of results) {
    const byOp = Object.entries(r.calls.calls)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
    console.log(`  ${r.mode}: requests by operation (throttled included): ${byOp || "-"}`);
    console.log(`  ${r.mode}: admitted per second, 5-s means: ${fiveSecondMeans(r.calls.series)}`);
  }

  console.log(`\nWhat the users saw — actions attempted, failed (HTTP status from the portal), latency of the successful ones`);
  console.log(
    `(busy = 503 "busy, try again in N s" with Retry-After, the limiter's; aws-throttled = 503 without it: API Gateway's 429 or 5xx outlasting the SDK's retries;\n rate-limited = the portal's own 429; a failed action is not repeated: the user moves on)\n`,
  );
  console.log(
    table([
      row(
        "actions attempted",
        (r) => r.actions.length,
        (r) => r.actions.length,
      ),
      row(
        "failed actions (all kinds)",
        (r) => `${failed(r)} (${num((100 * failed(r)) / Math.max(1, r.actions.length))} %)`,
        (r) => failed(r),
      ),
      ...FAILURES.map((o) =>
        row(
          `  ${o}`,
          (r) => failed(r, [o]),
          (r) => failed(r, [o]),
        ),
      ),
      row(
        "control-plane 429s reaching a user (aws-throttled)",
        (r) => failed(r, ["aws-throttled"]),
        (r) => failed(r, ["aws-throttled"]),
      ),
    ]),
  );
  console.log("");
  const latencyRows: Record<string, string | number>[] = [];
  for (const kind of KINDS) {
    for (const r of results) {
      const mine = r.actions.filter((a) => a.kind === kind);
      const ok = mine.filter((a) => a.outcome === "ok").map((a) => a.ms);
      latencyRows.push({
        action: kind,
        mode: r.mode,
        attempted: mine.length,
        failed: mine.length - ok.length,
        p50: ms(percentile(ok, 50)),
        p95: ms(percentile(ok, 95)),
        max: ok.length ? ms(Math.max(...ok)) : "-",
        "failed by outcome": Object.entries(countBy(mine.filter((a) => a.outcome !== "ok").map((a) => `${a.outcome} ${a.status}`)))
          .map(([k, n]) => `${k} ×${n}`)
          .join(", "),
      });
    }
  }
  console.log(table(latencyRows));

  console.log(
    `\nBackground jobs (run inside the sandbox process, triggered during the load; the sweeper with "now" 2 h ahead so the rotated keys are due;\n` +
      ` the sweeper and the reconciler also pace themselves at 2 rps, lib/access/pacer.ts)\n`,
  );
  console.log(
    table([
      row("job runs finished OK", (r) => jobsOf(r, "ok")),
      row("finished, some items failed", (r) => jobsOf(r, "partial")),
      row("failed (threw / timed out)", (r) => jobsOf(r, "failed")),
      row(`unfinished ${JOB_DRAIN_SECONDS} s after the load`, (r) => jobsOf(r, "unfinished")),
      row("skipped (previous run still going)", (r) => jobsOf(r, "skipped")),
    ]),
  );
  for (const r of results) for (const j of r.jobs) console.log(`  ${r.mode}: [${j.outcome}] ${num(j.seconds)} s — ${j.summary}`);

  console.log(`\nMachine: ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB`);
  for (const r of results) {
    const rss = r.portalRssMb.filter((m) => m > 0);
    console.log(
      `  ${r.mode}: 1-min load average near the end of the load ${num(r.loadAverage)}; next start resident memory ${rss.length ? `${Math.round(Math.min(...rss))}–${Math.round(Math.max(...rss))} MB each, ${Math.round(rss.reduce((a, b) => a + b, 0))} MB for ${rss.length}` : "not sampled"}`,
    );
  }
  console.log(
    `  ${PORTALS} next start processes, the sandbox (with the jobs) and this load generator share the cores: latencies include CPU contention, as a\n` +
      `  crowded host would; the control-plane figures do not depend on it (the sandbox counts requests whenever they arrive).`,
  );

  const notes = results.flatMap((r) => r.notes.map((n) => `${r.mode}: ${n}`));
  for (const r of results) {
    const examples = new Map<string, string>();
    for (const a of r.actions) if (a.outcome !== "ok" && a.detail && !examples.has(`${a.kind} ${a.outcome}`)) examples.set(`${a.kind} ${a.outcome}`, a.detail);
    for (const [k, d] of examples) notes.push(`${r.mode}: first ${k}: ${d.replace(/\s+/g, " ")}`);
  }
  if (notes.length) console.log(`\nNoticed\n${notes.map((n) => `  - ${n}`).join("\n")}`);

  console.log("\nSummary (figures, not verdicts)");
  for (const r of results) {
    console.log(
      `  ${r.mode}: max ${r.calls.perSecond.maxAdmittedInCalendarSecond}/s admitted (calendar), ${r.calls.perSecond.maxAdmittedInSlidingSecond} in a sliding second, against a share of ${SHARE_RPS}; ` +
        `${r.calls.throttled} throttled by the sandbox; ${failed(r, ["aws-throttled"])} control-plane 429s reached a user; ${failed(r)} of ${r.actions.length} actions failed; ` +
        `jobs ${jobsOf(r, "ok")} OK, ${jobsOf(r, "partial")} partial, ${jobsOf(r, "failed")} failed, ${jobsOf(r, "unfinished")} unfinished; ` +
        `the owner's calls refused ${r.owner.throttled} of ${r.owner.sent}`,
    );
  }
  console.log(`  whole benchmark: ${num(totalSeconds / 60)} min\n`);
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function fiveSecondMeans(series: CallsReport["series"]): string {
  if (!series.length) return "-";
  const first = series[0]!.second;
  const last = series.at(-1)!.second;
  const buckets: number[] = [];
  for (const s of series) buckets[Math.floor((s.second - first) / 5)] = (buckets[Math.floor((s.second - first) / 5)] ?? 0) + s.admitted;
  const n = Math.floor((last - first) / 5) + 1;
  return Array.from({ length: n }, (_, i) => num((buckets[i] ?? 0) / 5)).join(" ");
}

/** The highest mean admitted rate over `window` consecutive calendar seconds (seconds with no request count as 0). */
function maxRollingMean(series: CallsReport["series"], window: number): number {
  if (!series.length) return 0;
  const first = series[0]!.second;
  const counts = new Array<number>(series.at(-1)!.second - first + 1).fill(0);
  for (const s of series) counts[s.second - first] = s.admitted;
  let best = 0;
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!;
    if (i >= window) sum -= counts[i - window]!;
    best = Math.max(best, sum / window);
  }
  return best;
}
