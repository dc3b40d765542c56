// npm run bench -- docs-cache (and the last section of npm run bench -- docs): the docs pages behind
// a real HTTP cache, as CloudFront keeps them once deployed (lib/cloudfront/docs-cache.ts,
// infra/lib/docs-cache.ts). Debian's nginx with proxy_cache in front of `next start`, keyed as the
// CloudFront policy is (path, `theme` cookie, session cookie, Accept-names-Markdown) and honouring
// the portal's Cache-Control: anonymous operation pages through it vs the same HTML as a static
// file served by the same nginx vs next start alone; the hit ratio from $upstream_cache_status; and
// that a signed-in reader through the cache always reaches the portal and never gets the anonymous copy.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { MARKDOWN_KEY_HEADER } from "../lib/cloudfront/docs-cache";
import { buildPortal, signIn, startPortal } from "./portal";
import { httpGet, tail } from "./processes";
import { freePort, load, runBench, spawnSandbox, step, table, type Cleanup, type LoadResult } from "./support";

const LOAD_SECONDS = Math.max(2, Number(process.env.BENCH_DOCS_CACHE_SECONDS ?? 10));
const CONNECTIONS = 16;
const TARGET_RATIO = 0.8;
const ROUNDS = 4;
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => existsSync(file));
/** The seeded developer (local/seed.yaml), for the signed-in checks. */
const DEVELOPER = { email: "dev@example.com", name: "Dev Eloper", password: "Portico-dev-1" };

export interface DocsCacheInput {
  /** next start, e.g. http://localhost:3000 (the address its Cognito client redirects back to). */
  portal: string;
  /** Operation pages to read (the first is the one compared with the static file). */
  operationPaths: string[];
  /** A folder for nginx's configuration, cache and logs (removed with it). */
  work: string;
}

/** Standalone: the repo's catalog on a fresh sandbox, the portal built (or reused) and started, then the measurement. */
export async function run(): Promise<void> {
  await runBench(async (cleanup) => {
    if (!NGINX) return void console.log(skipMessage());
    const work = mkdtempSync(path.join(tmpdir(), "portico-bench-docs-cache-"));
    cleanup.add("temp dir", () => rmSync(work, { recursive: true, force: true }));
    const [sandboxPort, portalPort] = [await freePort(), await freePort()];
    let done = step("sandbox: start");
    const sandbox = await spawnSandbox(sandboxPort, { portalUrl: `http://localhost:${portalPort}` });
    cleanup.add("sandbox", () => sandbox.stop());
    done();
    const { env } = await buildPortal(cleanup);
    done = step("portal: next start, first view of the APIs");
    const { url: portal } = await startPortal(cleanup, { port: portalPort, sandboxStateDir: sandbox.stateDir, env });
    const operationPaths: string[] = [];
    const apis = (await httpGet(`${loopbackUrl(portal)}/apis`, { timeoutMs: 120_000 })).body.toString();
    for (const [, slug] of apis.matchAll(/href="\/apis\/([a-z0-9-]+)"/g)) {
      const page = (await httpGet(`${loopbackUrl(portal)}/apis/${slug}`, { timeoutMs: 120_000 })).body.toString();
      for (const [, op] of page.matchAll(new RegExp(`href="(/apis/${slug}/operations/[a-z0-9-]+)"`, "g"))) operationPaths.push(op!);
    }
    done();
    if (operationPaths.length === 0) throw new Error("the catalog's APIs link to no operation page");
    await measureDocsCache(cleanup, { portal, operationPaths: [...new Set(operationPaths)], work });
  });
}

const loopbackUrl = (url: string) => url.replace(/^(https?:\/\/)localhost(?=[:/]|$)/, "$1127.0.0.1");
const skipMessage = () =>
  "\nDocs through a local HTTP cache: skipped — nginx is not installed (Debian: apt-get install -y nginx-light). It measures anonymous docs pages through nginx's proxy_cache, keyed as CloudFront's docs policy is.";

/**
 * nginx in front of `next start`, keyed as infra/lib/docs-cache.ts keys CloudFront: the path (no
 * query), the `theme` cookie, the session cookie (here the whole Cookie header when it holds one:
 * every signed-in request its own key) and whether Accept names Markdown. Cache-Control rules
 * (s-maxage, private, stale-while-revalidate); Vary is ignored as CloudFront ignores it, so the key
 * alone has to be right. The portal answers uncompressed and nginx compresses, as CloudFront does.
 */
function nginxConfig(options: { dir: string; site: string; port: number; upstream: string }): string {
  const { dir, site, port, upstream } = options;
  return `
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  default_type application/octet-stream;
  types { text/html html; }
  sendfile on;
  # Off (nginx's default): with TCP_CORK a cached response of some sizes (63 KB here) waits out the
  # client's 40 ms delayed ACK on every keep-alive request, while the same static file does not.
  tcp_nopush off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  gzip on;
  gzip_proxied any;
  log_format cache '$upstream_cache_status $status $request_uri';
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=docs:16m max_size=1g inactive=1h use_temp_path=off;
  map $http_cookie $portico_session { default ""; "~(^|;\\s*)(__Secure-)?authjs\\.session-token(\\.\\d+)?=" $http_cookie; }
  map $http_accept $portico_markdown { default 0; "~*text/markdown" 1; }
  upstream portal { server ${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    access_log ${dir}/access.log cache buffer=256k flush=1s;
    location /static/ { alias ${site}/; }
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header Accept-Encoding "";
      proxy_set_header ${MARKDOWN_KEY_HEADER} $portico_markdown;
      proxy_cache docs;
      proxy_cache_key "$uri|$cookie_theme|$portico_session|$portico_markdown";
      proxy_ignore_headers Vary;
      # Off: nginx wakes a request waiting on another's miss only every 500 ms, which in a benchmark
      # whose connections move in step would measure that timer (CloudFront collapses misses without it).
      proxy_cache_lock off;
      proxy_cache_revalidate on;
      proxy_cache_use_stale updating error timeout;
      proxy_cache_background_update on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}

interface Nginx {
  url: string;
  /** The cache statuses logged since the last call, by request URI's `phase` query. */
  statuses(): Promise<Map<string, Record<string, number>>>;
}

async function startNginx(cleanup: Cleanup, options: { dir: string; site: string; upstream: string }): Promise<Nginx> {
  const port = await freePort();
  const { dir } = options;
  for (const sub of ["tmp", "cache"]) mkdirSync(path.join(dir, sub), { recursive: true });
  // Workers drop to `nobody` when nginx starts as root: they read and write here.
  for (const sub of [dir, path.join(dir, "tmp"), path.join(dir, "cache")]) chmodSync(sub, 0o777);
  chmodSync(path.dirname(dir), 0o755);
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig({ ...options, port }));
  const test = spawnSync(NGINX!, ["-t", "-q", "-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], { encoding: "utf8" });
  if (test.status !== 0) throw new Error(`nginx -t refused the configuration:\n${test.stderr}`);
  const child: ChildProcess = spawn(NGINX!, ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log"), "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-5000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanup.add(
    "nginx",
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGQUIT"); // graceful: workers finish, logs are flushed
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
    () => child.kill("SIGTERM"),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}\n${tail(readIf(path.join(dir, "error.log")))}`);
    try {
      await httpGet(`${url}/static/`, { timeoutMs: 2_000 });
      break;
    } catch {
      if (i > 100) throw new Error(`nginx did not answer on ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = path.join(dir, "access.log");
  let read = 0;
  return {
    url,
    async statuses() {
      // Reopening the logs (SIGUSR1) writes out nginx's buffer.
      child.kill("SIGUSR1");
      await new Promise((r) => setTimeout(r, 300));
      const text = readIf(log);
      const fresh = text.slice(read);
      read = text.length;
      const byPhase = new Map<string, Record<string, number>>();
      for (const line of fresh.split("\n")) {
        const [status, , uri] = line.split(" ");
        if (!status || !uri) continue;
        const phase = /[?&]phase=([\w-]+)/.exec(uri)?.[1] ?? "other";
        const counts = byPhase.get(phase) ?? {};
        counts[status] = (counts[status] ?? 0) + 1;
        byPhase.set(phase, counts);
      }
      return byPhase;
    },
  };
}

const readIf = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}
async function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(60_000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * The measurement, given a running portal: run standalone (`npm run bench -- docs-cache`) or as the
 * last section of `npm run bench -- docs` on Twilio's pages. Prints a clear note and returns if nginx
 * is not installed.
 */
export async function measureDocsCache(cleanup: Cleanup, input: DocsCacheInput): Promise<void> {
  if (!NGINX) return void console.log(skipMessage());
  const portal = loopbackUrl(input.portal);
  const [first, ...rest] = input.operationPaths;
  if (!first) throw new Error("measureDocsCache needs at least one operation page");
  const dir = path.join(input.work, "nginx");
  const site = path.join(input.work, "nginx-static");
  mkdirSync(dir, { recursive: true });
  mkdirSync(site, { recursive: true });

  // The anonymous page as the portal sends it, saved as nginx's static file.
  const direct = await get(`${portal}${first}`);
  if (direct.status !== 200) throw new Error(`GET ${first} answered ${direct.status}`);
  writeFileSync(path.join(site, "operation.html"), direct.text);
  chmodSync(site, 0o755);
  chmodSync(path.join(site, "operation.html"), 0o644);
  const nginx = await startNginx(cleanup, { dir, site, upstream: new URL(portal).host });
  const through = (p: string, phase: string) => `${nginx.url}${p}?phase=${phase}`;

  // 1. What the cache keeps and what it never may.
  let done = step("docs through nginx: what is shared, what never is (anonymous, themes, ETag, signed in, Markdown)");
  const checks: { check: string; expected: string; got: string; ok: boolean }[] = [];
  const check = (name: string, expected: string, got: string, ok = expected === got) => checks.push({ check: name, expected, got, ok });
  const cacheStatus = (r: Reply) => r.headers.get("x-cache-status") ?? "-";
  const a1 = await get(through(first, "check"));
  const a2 = await get(through(first, "check"));
  check("anonymous, first request", "MISS", cacheStatus(a1));
  check("anonymous, again", "HIT", cacheStatus(a2));
  check(
    "anonymous Cache-Control",
    "public, s-maxage",
    a1.headers.get("cache-control") ?? "-",
    /^public, max-age=0, s-maxage=\d+/.test(a1.headers.get("cache-control") ?? ""),
  );
  check("anonymous copy is the portal's bytes", "same", a2.text === direct.text ? "same" : "different");
  const etag = a1.headers.get("etag");
  const revalidated = await get(through(first, "check"), etag ? { "if-none-match": etag } : {});
  check("revalidation with the ETag", "304 HIT", `${revalidated.status} ${cacheStatus(revalidated)}`);
  const dark1 = await get(through(first, "check"), { cookie: "theme=dark" });
  const dark2 = await get(through(first, "check"), { cookie: "theme=dark" });
  check("theme=dark: its own copy", "MISS then HIT", `${cacheStatus(dark1)} then ${cacheStatus(dark2)}`);
  check("theme=dark copy is dark", "dark", /<html[^>]*class="[^"]*\bdark\b/.test(dark2.text) ? "dark" : "not dark");
  const markdown = await get(through(first, "check"), { accept: "text/markdown" });
  check(
    "Accept: text/markdown",
    "Markdown, never stored",
    `${markdown.headers.get("content-type")?.split(";")[0]}, ${cacheStatus(markdown)}`,
    /^text\/markdown/.test(markdown.headers.get("content-type") ?? "") && cacheStatus(markdown) !== "HIT",
  );
  // A real session: the seeded developer signs in through the sandbox's hosted login.
  const developer = await signIn(input.portal, DEVELOPER).catch((error: Error) => error);
  if (developer instanceof Error) {
    check("signed in", "a session", `sign-in failed: ${developer.message.split("\n")[0]}`, false);
  } else {
    const signedIn: { status: string; hasName: boolean }[] = [];
    for (let i = 0; i < 3; i++) {
      // The Browser keeps the cookie jar; its replies carry no headers, so the status comes from nginx's log.
      const reply = await developer.request(through(first, `signed-in-${i}`));
      signedIn.push({ status: "", hasName: reply.text.includes(DEVELOPER.name) || reply.text.includes(DEVELOPER.email) });
    }
    const logged = await nginx.statuses();
    signedIn.forEach((s, i) => (s.status = Object.keys(logged.get(`signed-in-${i}`) ?? {}).join(",") || "-"));
    check(
      "signed in, 3 requests",
      "MISS/BYPASS x3",
      signedIn.map((s) => s.status).join(" "),
      signedIn.every((s) => s.status === "MISS" || s.status === "BYPASS"),
    );
    check(
      "signed in: their own header, not the anonymous copy",
      "yes x3",
      signedIn.map((s) => (s.hasName ? "yes" : "no")).join(" "),
      signedIn.every((s) => s.hasName),
    );
    const after = await get(through(first, "check"));
    check(
      "anonymous after them: still the anonymous copy",
      "HIT, no name",
      `${cacheStatus(after)}, ${after.text.includes(DEVELOPER.name) ? "name" : "no name"}`,
    );
  }
  done();
  await nginx.statuses(); // start the counts afresh

  // 2. Throughput: one anonymous operation page through the warm cache and as nginx's static file, taking
  // turns for ROUNDS rounds (the machine's other load then weighs on both alike), then next start alone.
  const roundSeconds = Math.max(2, Math.round(LOAD_SECONDS / 2));
  done = step(
    `throughput: ${ROUNDS} rounds of ${roundSeconds} s on the cache and the static file, then ${LOAD_SECONDS} s on next start; ${CONNECTIONS} connections, 2 s warm-ups`,
  );
  const runs: { name: string; url: string; warmUrl: string; results: LoadResult[] }[] = [
    { name: "nginx cache → next start (anonymous operation page)", url: through(first, "cached"), warmUrl: through(first, "warm-up"), results: [] },
    { name: "nginx, the same HTML as a static file", url: `${nginx.url}/static/operation.html`, warmUrl: `${nginx.url}/static/operation.html`, results: [] },
    { name: "next start alone", url: `${portal}${first}`, warmUrl: `${portal}${first}`, results: [] },
  ];
  for (const r of runs) await load({ url: r.warmUrl, seconds: 2, connections: CONNECTIONS });
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of runs.slice(0, 2)) r.results.push(await load({ url: r.url, seconds: roundSeconds, connections: CONNECTIONS }));
  }
  runs[2]!.results.push(await load({ url: runs[2]!.url, seconds: LOAD_SECONDS, connections: CONNECTIONS }));
  const cachedStatuses = (await nginx.statuses()).get("cached") ?? {};
  // 3. Readers across every operation page from a cold cache, the pages' popularity Zipf-like in the
  // order the API lists them (the first read most): how soon the cache carries the load. A page not
  // yet kept is rendered once per concurrent miss (no request collapsing here, unlike CloudFront).
  const spread = [...new Set([first, ...rest])];
  const pickPage = zipf(spread.length, seeded(20));
  const cold = await autocannon({
    url: nginx.url,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: `${spread[pickPage()]}?phase=spread` }) }],
  });
  const spreadStatuses = (await nginx.statuses()).get("spread") ?? {};
  done();

  const [cached, staticFile, alone] = runs.map((r) => summary(r.results)) as [LoadResult, LoadResult, LoadResult];
  // The median of the rounds' ratios: each round's pair ran back to back.
  const ratio = median(runs[0]!.results.map((c, i) => c.requestsPerSecond / runs[1]!.results[i]!.requestsPerSecond));
  const hits = (counts: Record<string, number>) => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { total, ratio: total ? (counts.HIT ?? 0) / total : 0 };
  };
  const warm = hits(cachedStatuses);
  const spreadHits = hits(spreadStatuses);
  const rps = (n: number) => Math.round(n).toLocaleString("en-US");
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

  console.log(
    `\nDocs through a local HTTP cache (nginx ${nginxVersion()} proxy_cache, keyed as CloudFront's docs policy), ${first} (${kb(Buffer.byteLength(direct.text))}):\n`,
  );
  console.log(table(checks.map(({ check: c, expected, got, ok }) => ({ check: c, expected, got, "": ok ? "ok" : "WRONG" }))));
  console.log();
  console.log(
    table(
      runs
        .map(({ name }, i) => [name, [cached, staticFile, alone][i]!] as const)
        .map(([name, result]) => ({
          server: name,
          "req/s (median)": rps(result.requestsPerSecond),
          p50: `${result.p50} ms`,
          p99: `${result.p99} ms`,
          statuses: Object.entries(result.statuses)
            .map(([k, v]) => `${k}: ${v}`)
            .join(", "),
        })),
    ),
  );
  console.log(
    `\n  cached / static file (median of ${ROUNDS} rounds: ${runs[0]!.results.map((c, i) => (c.requestsPerSecond / runs[1]!.results[i]!.requestsPerSecond).toFixed(2)).join(", ")}): ${ratio.toFixed(2)} (aim ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"}); cached / next start alone: ${(cached.requestsPerSecond / alone.requestsPerSecond).toFixed(1)}x`,
  );
  console.log(`  hit ratio, that page under load: ${(warm.ratio * 100).toFixed(2)} % of ${rps(warm.total)} requests (${fmtCounts(cachedStatuses)})`);
  console.log(
    `  hit ratio, readers across all ${spread.length} operation pages (Zipf-like popularity) from a cold cache: ${(spreadHits.ratio * 100).toFixed(2)} % of ${rps(spreadHits.total)} requests (${fmtCounts(spreadStatuses)}), ${rps(cold.requests.average)} req/s (${(cold.throughput.average / 1e6).toFixed(0)} MB/s: the pages differ in size)`,
  );
  console.log("  (one autocannon client on this machine drives every row: the static file's figure is a floor of the client as much as of nginx)");
  const wrong = checks.filter((c) => !c.ok);
  if (wrong.length > 0) throw new Error(`the docs cache misbehaves: ${wrong.map((c) => `${c.check} (expected ${c.expected}, got ${c.got})`).join("; ")}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Several runs of one server as one row: median req/s and latencies, summed statuses. */
function summary(results: LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    statuses,
  };
}

/** A deterministic pseudo-random source (mulberry32), so runs read the same pages in the same order. */
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

/** Picks 0…n-1 with probability ∝ 1/(rank+1), as page views on a site tend to fall. */
function zipf(n: number, random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) cumulative.push((total += 1 / (i + 1)));
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

const fmtCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
    .join(", ") || "none logged";

function nginxVersion(): string {
  const out = spawnSync(NGINX!, ["-v"], { encoding: "utf8" });
  return /nginx\/([\d.]+)/.exec(out.stderr)?.[1] ?? "?";
}
