// npm run bench -- agent: what the portal serves agents (#19), on Twilio's 2010 API (197 operations)
// next to the Pets API, measured side by side in one run against `next start`:
//   1. the Markdown twins and llms.txt files beside the HTML pages they stand for: bytes (raw and
//      gzip) and req/s under the same bounded load, and what reading all of Twilio costs as HTML
//      pages against one /apis/twilio/llms-full.txt;
//   2. MCP tool calls with the official SDK client over HTTP (POST /mcp), sequential, p50/p95/mean,
//      beside plain routes (the HTML and Markdown pages, GET /api/v1/me with the same token);
//   3. the API Gateway control-plane calls the sandbox counted meanwhile (the docs tools: none).
// It prints figures; it doesn't pass or fail. Knobs: BENCH_AGENT_CALLS (per series, default 200),
// BENCH_AGENT_SECONDS (per load, default 6), BENCH_TWILIO_SPEC, BENCH_REBUILD=1.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { APIGatewayClient, GetUsagePlansCommand, UpdateUsagePlanCommand } from "@aws-sdk/client-api-gateway";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { LimitsInput } from "../lib/limits/settings";
import { loadApiDocument } from "../lib/openapi";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "../local/context";
import { buildPortal, ControlPlaneCounters, loopback, signUp, startPortal, type Browser } from "./portal";
import { httpGet } from "./processes";
import {
  freePort,
  importTwilio,
  load,
  ms,
  percentile,
  readTwilioSpec,
  root,
  runBench,
  spawnSandbox,
  step,
  table,
  TWILIO_SLUG,
  writeTwilioCatalog,
  type Cleanup,
  type LoadResult,
} from "./support";

const CALLS = Math.max(10, Number(process.env.BENCH_AGENT_CALLS ?? 200));
const WARMUP_CALLS = 10;
/** Seconds of load per URL, in ROUNDS rounds. */
const LOAD_SECONDS = Math.max(3, Number(process.env.BENCH_AGENT_SECONDS ?? 6));
const ROUNDS = 3;
const ROUND_SECONDS = Math.round(LOAD_SECONDS / ROUNDS);
const WARMUP_SECONDS = 1;
const CONNECTIONS = 16;
/** Kept between runs (git-ignored) and reused while the portal's sources are unchanged, as bench/portal.ts's build is. */
const DIST_DIR = ".sandbox/bench-agent";
const CATALOG_DIR = path.join(root, ".sandbox/bench-agent-catalog");
const PASSWORD = "Bench-password-1234";
const SEARCH_QUERY = "send a message";
const PETS = { api: "pets", operation: "list-pets" };
/** The Free plan's terms in this run's sandbox (seeded: 2 requests/s, burst 5, 1,000 a month), so the call series meets no 429. */
const FREE_RAISED = { rateLimit: 10_000, burstLimit: 5_000, quota: 10_000_000 };

/** The portal's own rate limits, out of reach of one developer making a few thousand calls from one address. */
const unreachable = (seconds: number) => ({ requests: 100_000, seconds });
const LIMITS = {
  portal: {
    agents: { perToken: unreachable(60), perIp: unreachable(60) },
    tryIt: { perUser: unreachable(60), perIp: unreachable(60) },
    liveReads: { perUser: unreachable(600), perIp: unreachable(600) },
    keys: { perUser: unreachable(600), perIp: unreachable(600) },
    subscriptions: { perUser: unreachable(600), perIp: unreachable(600) },
    signIn: { perIp: unreachable(600) },
  },
} satisfies LimitsInput;

const KB = 1000;
const size = (bytes: number) =>
  bytes >= 100 * KB * KB ? `${(bytes / KB / KB).toFixed(0)} MB` : bytes >= KB * KB ? `${(bytes / KB / KB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`;
const times = (ratio: number) => (Number.isNaN(ratio) ? "-" : `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2)}x`);
const num = (n: number) => Math.round(n).toLocaleString("en-US");
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function run(): Promise<void> {
  readTwilioSpec(); // fails early, naming BENCH_TWILIO_SPEC, if the spec isn't there
  await runBench(bench, "stopping servers and removing temp files");
}

interface Target {
  label: string;
  path: string;
  /** The HTML page this text stands for (a key of the same list), for the ratios. */
  html?: string;
}

interface Weighed extends Target {
  type: string;
  raw: number;
  gzip?: number;
}

/** One kind of call in the latency rounds. */
interface Probe {
  name: string;
  kind: "HTTP" | "MCP";
  /** An anonymous MCP docs tool (or connect): its control-plane calls should be none. */
  docs: boolean;
  /** One call: the characters of its answer (the body, or the tool result's text) and the HTTP requests the client sent. */
  call: () => Promise<{ chars: number; requests: number }>;
  times: number[];
  /** HTTP requests sent in the measured calls (MCP: by the SDK's transport). */
  requests: number;
  chars: number;
  /** Control-plane calls by operation, read after each call: in the warm-up rounds, and in the measured ones. */
  warmUpCalls: Record<string, number>;
  calls: Record<string, number>;
}

const probe = (name: string, kind: Probe["kind"], docs: boolean, call: Probe["call"]): Probe => ({
  name,
  kind,
  docs,
  call,
  times: [],
  requests: 0,
  chars: 0,
  warmUpCalls: {},
  calls: {},
});

async function bench(cleanup: Cleanup): Promise<void> {
  const started = performance.now();
  const twilio = readTwilioSpec();
  console.log(
    `\nAgent benchmark (#19): Twilio's 2010 API (${size(twilio.bytes.length)} of OpenAPI) next to the Pets API, one next start.\n` +
      `${CALLS} sequential calls per latency row (BENCH_AGENT_CALLS), ${LOAD_SECONDS} s x ${CONNECTIONS} connections per throughput row (BENCH_AGENT_SECONDS).\n` +
      `The portal's rate limits are raised out of reach for this run (PORTICO_LIMITS: agents, tryIt, liveReads, keys, subscriptions, signIn at 100,000 per window),\n` +
      `and so are the sandbox's Free plan's throttle and quota (${num(FREE_RAISED.rateLimit)} req/s, burst ${num(FREE_RAISED.burstLimit)}, ${num(FREE_RAISED.quota)} a month; seeded 2 req/s, burst 5, 1,000 a month).\n`,
  );

  const [sandboxPort, portalPort] = [await freePort(), await freePort()];

  // 1. The sandbox, with Twilio imported, deployed and sold by a plan; the Free plan's limits raised.
  let done = step("sandbox: start, import Twilio, deploy prod, create its usage plan, raise Free's throttle and quota");
  const sandbox = await spawnSandbox(sandboxPort, { portalUrl: `http://localhost:${portalPort}` });
  cleanup.add("sandbox", () => sandbox.stop());
  await importTwilio(sandbox.url, twilio);
  const apigw = new APIGatewayClient({ endpoint: sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
  const free = (await apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items?.find((p) => p.name === "Free");
  if (!free?.id) throw new Error("the sandbox has no usage plan named Free");
  await apigw.send(
    new UpdateUsagePlanCommand({
      usagePlanId: free.id,
      patchOperations: [
        { op: "replace", path: "/throttle/rateLimit", value: String(FREE_RAISED.rateLimit) },
        { op: "replace", path: "/throttle/burstLimit", value: String(FREE_RAISED.burstLimit) },
        { op: "replace", path: "/quota/limit", value: String(FREE_RAISED.quota) },
      ],
    }),
  );
  done();

  // 2. The catalog (the repo's plus a Twilio product), the build (reused while the sources are unchanged), next start.
  mkdirSync(path.dirname(CATALOG_DIR), { recursive: true });
  writeTwilioCatalog(CATALOG_DIR, twilio);
  cleanup.add("catalog copy", () => rmSync(CATALOG_DIR, { recursive: true, force: true }));
  const { env } = await buildPortal(cleanup, { distDir: DIST_DIR, env: { PORTICO_CATALOG_DIR: CATALOG_DIR } });
  done = step("portal: next start, first view of the Twilio API (catalog and spec load)");
  const { url: portalUrl, child: next } = await startPortal(cleanup, {
    port: portalPort,
    sandboxStateDir: sandbox.stateDir,
    env: { ...env, PORTICO_LIMITS: JSON.stringify(LIMITS) },
  });
  const portal = loopback(portalUrl);
  const overview = await httpGet(`${portal}/apis/${TWILIO_SLUG}`, { timeoutMs: 120_000 });
  if (overview.status !== 200)
    throw new Error(`GET /apis/${TWILIO_SLUG} answered ${overview.status}:\n${overview.body.toString().slice(0, 500)}\n${next.output().slice(-2000)}`);
  done();

  // The operation: the first one the API page lists (as in bench/docs.ts).
  const link = new RegExp(`href="/apis/${TWILIO_SLUG}/operations/([a-z0-9-]+)"`).exec(overview.body.toString());
  if (!link) throw new Error(`/apis/${TWILIO_SLUG} links to no operation`);
  const slug = link[1]!;
  const document = await loadApiDocument({ file: "twilio_api_v2010.json", text: twilio.bytes.toString() });
  const operation = document.operations.get(slug);
  if (!operation) throw new Error(`the spec has no operation '${slug}'`);
  const slugs = document.tags.flatMap((t) => t.operations.map((o) => o.slug)).filter((s, i, all) => all.indexOf(s) === i);
  const opPath = `/apis/${TWILIO_SLUG}/operations/${slug}`;
  const apiPath = `/apis/${TWILIO_SLUG}`;

  // 3. A developer: signed up, subscribed to Free, a key, a portal token that reads and calls.
  done = step("developer: sign up, subscribe to Free, create a key and a portal token (read, call)");
  const developer = await signUp(portalUrl, { email: `agent-bench-${Date.now().toString(36)}@example.com`, name: "Agent Bench", password: PASSWORD });
  const subscription = await postJson(developer, `${portalUrl}/api/subscriptions`, { product: "free" });
  if ((subscription as { subscription?: { state?: string } }).subscription?.state !== "active")
    throw new Error(`POST /api/subscriptions gave ${JSON.stringify(subscription).slice(0, 300)}`);
  const key = (await postJson(developer, `${portalUrl}/api/keys`, { name: "agent bench" })) as { key?: { id?: string } };
  if (!key.key?.id) throw new Error(`POST /api/keys gave ${JSON.stringify(key).slice(0, 300)}`);
  const created = (await postJson(developer, `${portalUrl}/api/tokens`, { name: "agent bench", scopes: ["read", "call"], expiresInDays: 30 })) as {
    token?: { scopes?: string[] };
    value?: string;
  };
  if (!created.value?.startsWith("ptk_")) throw new Error(`POST /api/tokens gave ${JSON.stringify(created).slice(0, 300)}`);
  const token = created.value;
  done();

  // 4. Bytes: every page and its twin, as sent with and without gzip asked for.
  const targets: Target[] = [
    { label: `operation page (HTML)`, path: opPath },
    { label: `operation twin (.md)`, path: `${opPath}.md`, html: opPath },
    // Where proxy.ts rewrites `<page>.md` to: the same route without the rewrite, to show what the rewrite costs.
    { label: `the same twin at its rewrite target`, path: `/md${opPath}`, html: opPath },
    { label: `API overview (HTML)`, path: apiPath },
    { label: `API overview twin (.md)`, path: `${apiPath}.md`, html: apiPath },
    { label: `API, all operations (llms-full.txt)`, path: `${apiPath}/llms-full.txt`, html: apiPath },
    { label: `catalog (HTML)`, path: "/apis" },
    { label: `/llms.txt`, path: "/llms.txt", html: "/apis" },
    { label: `/llms-full.txt`, path: "/llms-full.txt", html: "/apis" },
  ];
  done = step(`bytes: ${targets.length} URLs, raw and gzip; Accept: text/markdown on the operation page`);
  const weighed: Weighed[] = [];
  for (const target of targets) {
    const raw = await httpGet(`${portal}${target.path}`, { timeoutMs: 120_000 });
    if (raw.status !== 200) throw new Error(`GET ${target.path} answered ${raw.status}: ${raw.body.toString().slice(0, 300)}`);
    const zipped = await httpGet(`${portal}${target.path}`, { gzip: true, timeoutMs: 120_000 });
    const type = String(raw.headers["content-type"] ?? "").split(";")[0]!;
    weighed.push({ ...target, type, raw: raw.body.length, ...(zipped.headers["content-encoding"] === "gzip" ? { gzip: zipped.encoded.length } : {}) });
  }
  const negotiated = await fetch(`${portal}${opPath}`, { headers: { accept: "text/markdown" } });
  const negotiatedText = await negotiated.text();
  const twinText = await (await fetch(`${portal}${opPath}.md`)).text();
  const negotiation =
    negotiated.status === 200 && negotiatedText === twinText
      ? "the same text as the .md"
      : `status ${negotiated.status}, ${negotiatedText === twinText ? "same" : "DIFFERENT"} text`;
  done();

  // 5. Reading all of Twilio as an agent with no twins would: the overview and every operation page, one by one.
  done = step(`crawl: /apis/${TWILIO_SLUG} + ${slugs.length} operation pages (HTML, gzip, sequential) vs one llms-full.txt`);
  const crawlStart = performance.now();
  let crawlRaw = 0;
  let crawlGzip = 0;
  for (const p of [apiPath, ...slugs.map((s) => `/apis/${TWILIO_SLUG}/operations/${s}`)]) {
    const res = await httpGet(`${portal}${p}`, { gzip: true });
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}`);
    crawlRaw += res.body.length;
    crawlGzip += res.encoded.length;
  }
  const crawlMs = performance.now() - crawlStart;
  const fullStart = performance.now();
  const full = await httpGet(`${portal}${apiPath}/llms-full.txt`, { gzip: true });
  const fullMs = performance.now() - fullStart;
  done();

  // 6. Throughput: every URL under the same load, in rounds that take turns (so a busy spell on this
  // machine falls on all of them); control-plane calls counted meanwhile.
  const counters = new ControlPlaneCounters(sandbox.url);
  done = step(
    `throughput: ${targets.length} URLs x ${ROUNDS} rounds of ${ROUND_SECONDS} s, ${CONNECTIONS} connections (after a ${WARMUP_SECONDS} s warm-up each), no compression asked`,
  );
  await counters.reset();
  const rounds = new Map<string, LoadResult[]>(targets.map((t) => [t.path, []]));
  for (const target of targets) await load({ url: `${portal}${target.path}`, seconds: WARMUP_SECONDS, connections: CONNECTIONS });
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets)
      rounds.get(target.path)!.push(await load({ url: `${portal}${target.path}`, seconds: ROUND_SECONDS, connections: CONNECTIONS }));
  }
  const loadCalls = await counters.total();
  done();

  // 7. Latency: plain routes and MCP tool calls, one call of each in turn, sequential, after warm-up rounds.
  const anonymous = await mcp(portal);
  const withToken = await mcp(portal, token);
  const probes: Probe[] = [
    probe("GET operation page (HTML)", "HTTP", false, () => timedGet(`${portal}${opPath}`)),
    probe("GET operation twin (.md)", "HTTP", false, () => timedGet(`${portal}${opPath}.md`)),
    probe("GET /api/v1/me (token)", "HTTP", false, () => timedGet(`${portal}/api/v1/me`, { authorization: `Bearer ${token}` })),
    probe("connect: initialize + tools/list", "MCP", true, () => connectOnce(portal)),
    probe(`search_docs "${SEARCH_QUERY}"`, "MCP", true, () => callTool(anonymous, "search_docs", { query: SEARCH_QUERY })),
    probe(`read_operation ${TWILIO_SLUG}/${slug}`, "MCP", true, () => callTool(anonymous, "read_operation", { api: TWILIO_SLUG, operation: slug })),
    probe("list_apis", "MCP", true, () => callTool(anonymous, "list_apis", {})),
    probe("list_my_keys (token)", "MCP", false, () => callTool(withToken, "list_my_keys", {})),
    probe("get_usage free (token)", "MCP", false, () => callTool(withToken, "get_usage", { plan: "free" })),
    probe(`call_operation ${PETS.api}/${PETS.operation} (token)`, "MCP", false, () => callTool(withToken, "call_operation", PETS)),
  ];
  done = step(`latency: ${probes.length} calls in turn x (${WARMUP_CALLS} warm-up + ${CALLS} measured rounds), control-plane calls read after each`);
  await counters.reset();
  let seen: Record<string, number> = {};
  for (let round = -WARMUP_CALLS; round < CALLS; round++) {
    for (const p of probes) {
      const t = performance.now();
      const { chars, requests } = await p.call();
      const elapsed = performance.now() - t;
      const { calls } = await counters.calls();
      const into = round < 0 ? p.warmUpCalls : p.calls;
      for (const [op, n] of Object.entries(calls)) if (n > (seen[op] ?? 0)) into[op] = (into[op] ?? 0) + n - (seen[op] ?? 0);
      seen = calls;
      if (round < 0) continue;
      p.times.push(elapsed);
      p.requests += requests;
      p.chars = chars;
    }
  }
  await anonymous.client.close();
  await withToken.client.close();
  done();

  report({
    operation: { slug, method: operation.method.toUpperCase(), path: operation.path },
    opCount: slugs.length,
    weighed,
    negotiation,
    rounds,
    loadCalls,
    crawl: { pages: slugs.length + 1, raw: crawlRaw, gzip: crawlGzip, ms: crawlMs },
    full: { raw: full.body.length, gzip: full.encoded.length, ms: fullMs },
    probes,
    seconds: (performance.now() - started) / 1000,
  });
}

async function postJson(browser: Browser, url: string, json: unknown): Promise<unknown> {
  const reply = await browser.request(url, { method: "POST", json });
  if (reply.status < 200 || reply.status >= 300) throw new Error(`POST ${new URL(url).pathname} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
  return JSON.parse(reply.text) as unknown;
}

async function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ chars: number; requests: number }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  return { chars: text.length, requests: 1 };
}

interface McpClient {
  client: Client;
  /** HTTP requests its transport has sent so far. */
  sent: () => number;
}

/** An SDK client connected to POST /mcp (initialize, then the initialized notification), counting the HTTP requests its transport sends. */
async function mcp(portal: string, token?: string): Promise<McpClient> {
  let sent = 0;
  const transport = new StreamableHTTPClientTransport(new URL(`${portal}/mcp`), {
    ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    fetch: (url, init) => {
      sent++;
      return fetch(url, init);
    },
  });
  const client = new Client({ name: "portico-bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, sent: () => sent };
}

/** What an agent does first: a new client connects and lists the tools. */
async function connectOnce(portal: string): Promise<{ chars: number; requests: number }> {
  const connected = await mcp(portal);
  const { tools } = await connected.client.listTools();
  if (tools.length < 10) throw new Error(`tools/list gave ${tools.length} tools, expected 10`);
  const requests = connected.sent();
  await connected.client.close();
  return { chars: NaN, requests };
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/** One tool call, which must succeed (call_operation: the API answering 200). */
async function callTool(connected: McpClient, tool: string, args: Record<string, unknown>): Promise<{ chars: number; requests: number }> {
  const before = connected.sent();
  const result = (await connected.client.callTool({ name: tool, arguments: args })) as CallToolResult;
  const text = textOf(result);
  if (result.isError) throw new Error(`${tool} ${JSON.stringify(args)} failed: ${text.slice(0, 300)}`);
  if (tool === "call_operation") {
    const status = (result.structuredContent as { status?: number } | undefined)?.status;
    if (status !== 200) throw new Error(`call_operation answered ${status}: ${text.slice(0, 300)}`);
  }
  return { chars: text.length, requests: connected.sent() - before };
}

const median = (values: number[]) => percentile(values, 50);
const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
const listCalls = (calls: Record<string, number>) =>
  Object.entries(calls)
    .filter(([, n]) => n)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");

function report(input: {
  operation: { slug: string; method: string; path: string };
  opCount: number;
  weighed: Weighed[];
  negotiation: string;
  rounds: Map<string, LoadResult[]>;
  loadCalls: number;
  crawl: { pages: number; raw: number; gzip: number; ms: number };
  full: { raw: number; gzip: number; ms: number };
  probes: Probe[];
  seconds: number;
}): void {
  const { operation, weighed } = input;
  const byPath = new Map(weighed.map((w) => [w.path, w]));
  const loads = new Map(
    [...input.rounds].map(([p, results]) => {
      const statuses: Record<string, number> = {};
      for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
      const perRound = results.map((r) => r.requestsPerSecond);
      return [
        p,
        {
          rps: mean(perRound),
          min: Math.min(...perRound),
          max: Math.max(...perRound),
          p50: median(results.map((r) => r.p50)),
          p99: Math.max(...results.map((r) => r.p99)),
          statuses,
        },
      ];
    }),
  );

  console.log(`\nMarkdown twins and llms.txt vs the HTML pages — Twilio's first operation: ${operation.method} ${operation.path} (${operation.slug})`);
  console.log(
    `(1 KB = 1000 bytes; gzip: as sent when asked for. req/s: ${CONNECTIONS} connections, no compression asked, ${ROUNDS} rounds of ${ROUND_SECONDS} s per URL taking turns: ` +
      `mean, and the rounds' range; p50: median of the rounds', p99: the worst round's. Ratios: the text over the HTML page it stands for.)\n`,
  );
  console.log(
    table(
      weighed.map((w) => {
        const html = w.html ? byPath.get(w.html)! : undefined;
        const l = loads.get(w.path)!;
        return {
          URL: w.path,
          what: w.label,
          type: w.type,
          bytes: size(w.raw),
          gzip: w.gzip === undefined ? "not compressed" : size(w.gzip),
          "req/s": num(l.rps),
          rounds: `${num(l.min)}–${num(l.max)}`,
          "p50 ms": l.p50,
          "p99 ms": l.p99,
          "vs HTML page": html ? html.path : "",
          "bytes ratio": html ? times(w.raw / html.raw) : "",
          "gzip ratio": html && w.gzip !== undefined && html.gzip !== undefined ? times(w.gzip / html.gzip) : "",
          "req/s ratio": html ? times(l.rps / loads.get(html.path)!.rps) : "",
          statuses: Object.entries(l.statuses)
            .map(([k, v]) => `${k}:${v}`)
            .join(" "),
        };
      }),
    ),
  );
  console.log(`\n  The operation page asked for with Accept: text/markdown: ${input.negotiation}.`);
  console.log(`  API Gateway control-plane calls during these loads: ${input.loadCalls}.`);

  const { crawl, full } = input;
  console.log(
    `\nAll of Twilio (${input.opCount} operations) as an agent without twins reads it: /apis/${TWILIO_SLUG} + every operation page, one by one, gzip asked\n`,
  );
  console.log(
    table([
      { read: `HTML: ${crawl.pages} pages`, requests: crawl.pages, bytes: size(crawl.raw), gzip: size(crawl.gzip), "time (sequential)": ms(crawl.ms) },
      { read: `/apis/${TWILIO_SLUG}/llms-full.txt`, requests: 1, bytes: size(full.raw), gzip: size(full.gzip), "time (sequential)": ms(full.ms) },
      {
        read: "llms-full.txt / HTML",
        requests: times(1 / crawl.pages),
        bytes: times(full.raw / crawl.raw),
        gzip: times(full.gzip / crawl.gzip),
        "time (sequential)": times(full.ms / crawl.ms),
      },
    ]),
  );

  const find = (name: string) => input.probes.find((p) => p.name === name)!;
  const me = median(find("GET /api/v1/me (token)").times);
  const page = median(find("GET operation page (HTML)").times);
  console.log(
    `\nLatency: ${CALLS} rounds after ${WARMUP_CALLS} warm-up rounds, each round one call of every row in turn, sequential (Node's fetch, keep-alive; ` +
      `MCP: the official SDK client over Streamable HTTP, a POST per message, "connect" a new client each time; tools with "(token)": Bearer ptk_…, scopes read+call)\n`,
  );
  console.log(
    table(
      input.probes.map((p) => {
        const p50 = median(p.times);
        return {
          call: p.name,
          kind: p.kind,
          p50: ms(p50),
          p95: ms(percentile(p.times, 95)),
          mean: ms(mean(p.times)),
          max: ms(Math.max(...p.times)),
          "HTTP req/call": Number.isInteger(p.requests / CALLS) ? p.requests / CALLS : (p.requests / CALLS).toFixed(2),
          "answer chars": Number.isNaN(p.chars) ? "-" : num(p.chars),
          "p50 vs /api/v1/me": times(p50 / me),
          "p50 vs HTML page": times(p50 / page),
          "control-plane calls": `${total(p.calls)} (warm-up ${total(p.warmUpCalls)})`,
        };
      }),
    ),
  );
  const docs = input.probes.filter((p) => p.docs);
  const docsCalls: Record<string, number> = {};
  for (const p of docs) for (const calls of [p.warmUpCalls, p.calls]) for (const [op, n] of Object.entries(calls)) docsCalls[op] = (docsCalls[op] ?? 0) + n;
  console.log(
    `\n  API Gateway control-plane calls in the docs-tool rows (${docs.map((p) => p.name.split(" ")[0]!.replace(/:$/, "")).join(", ")}; ` +
      `${(CALLS + WARMUP_CALLS) * docs.length} calls, warm-up included): ${total(docsCalls)}${total(docsCalls) ? ` (${listCalls(docsCalls)})` : ""}.`,
  );
  for (const p of input.probes.filter((x) => total(x.calls) + total(x.warmUpCalls) > 0))
    console.log(
      `  ${p.name}: ${listCalls(p.warmUpCalls) || "none"} in its ${WARMUP_CALLS} warm-up calls, ${listCalls(p.calls) || "none"} in the ${CALLS} measured.`,
    );
  console.log(`\nDone in ${input.seconds.toFixed(0)} s.\n`);
}
