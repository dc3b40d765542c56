// npm run bench -- docs: Portico's API reference against Redoc, Swagger UI, Scalar API Reference and
// Stoplight Elements on Twilio's 2010 API (1.9 MB of OpenAPI, 197 operations), measured side by side
// in one run in Chromium; then the weight of Portico's operation pages, how many a second `next
// start` serves next to the same HTML as a static file (from node:http, and from next start's own
// public/), Lighthouse's four scores for an operation page of each tool, and the docs through a
// local HTTP cache (bench/docs-cache.ts).
//   BENCH_DOCS_RUNS=5            rounds of page loads (Portico, its HTML unstyled, the floor)
//   BENCH_DOCS_PEER_RUNS=3       of those rounds, how many also load the peers (seconds each; no warm-up:
//                                static files from memory, nothing of theirs warms up between loads)
//   BENCH_DOCS_WEIGHT=0          skips the page weights; BENCH_DOCS_THROUGHPUT=0 the throughput
//   BENCH_DOCS_LIGHTHOUSE=0      skips Lighthouse; BENCH_LIGHTHOUSE_PRESET=desktop (default mobile),
//   BENCH_LIGHTHOUSE_RUNS=1      runs per page (the median by performance is shown)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadApiDocument } from "../lib/openapi";
import { launchChromium, loadPage, type PageLoad } from "./browser";
import { medianRun, startLighthouse, CATEGORIES, type LighthouseRun, type Preset } from "./lighthouse";
import { packageVersion, PEER_LABEL, PEER_NOTES, PEER_PAGE, peerScenarios, writePeerPages, type Peer } from "./peers";
import { measureDocsCache } from "./docs-cache";
import { buildPortal, startPortal } from "./portal";
import { httpGet, startChild, waitForHttp } from "./processes";
import {
  freePort,
  importTwilio,
  load,
  readTwilioSpec,
  root,
  runBench,
  spawnSandbox,
  step,
  table,
  TWILIO_SLUG,
  TWILIO_SPEC as SPEC,
  writeTwilioCatalog,
  type Cleanup,
  type LoadResult,
} from "./support";

const RUNS = Math.max(1, Number(process.env.BENCH_DOCS_RUNS ?? 5));
/** The peers take seconds a load: they join the first rounds only, after the warm-up round. */
const PEER_RUNS = Math.min(RUNS, Math.max(1, Number(process.env.BENCH_DOCS_PEER_RUNS ?? 3)));
const SKIP = (name: string) => process.env[name] === "0";
const LIGHTHOUSE_PRESET: Preset = process.env.BENCH_LIGHTHOUSE_PRESET === "desktop" ? "desktop" : "mobile";
const LIGHTHOUSE_RUNS = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 1));
const LOAD_SECONDS = 10;
const CONNECTIONS = 16;
/** Operation pages loaded in Chromium for their JavaScript: the first ones plus the heaviest. */
const JS_SAMPLE_FIRST = 20;
const JS_SAMPLE_HEAVIEST = 5;
const KB = 1000;
const TARGET = { speedup: 10, swaggerOpenSpeedup: 5, unstyledRatio: 1.5, lighthouse: 98, htmlKB: 150, jsKB: 150, throughputRatio: 0.5 };
const API_SLUG = TWILIO_SLUG;

type Tool = "portico" | Peer | "unstyled" | "floor";
const PEERS: Peer[] = ["redoc", "swagger", "swaggerOpen", "scalar", "elements"];
const TOOL_LABEL: Record<Tool, string> = {
  portico: "Portico (operation page, next start)",
  ...PEER_LABEL,
  unstyled: "Portico's same HTML without its stylesheet and script (static file)",
  floor: "Chromium's floor: the operation's title alone (static file)",
};
/** The tools Lighthouse audits, each on the page that shows the operation. */
type Audited = "portico" | keyof typeof PEER_PAGE;
const AUDITED_LABEL: Record<Audited, string> = {
  portico: "Portico (operation page, next start)",
  redoc: `Redoc ${packageVersion("redoc")} (deep link #tag/…/operation/…)`,
  swagger: `Swagger UI ${packageVersion("swagger-ui-dist")} (deep link, open)`,
  scalar: `Scalar ${packageVersion("@scalar/api-reference")} (deep link)`,
  elements: `Stoplight Elements ${packageVersion("@stoplight/elements")} (deep link)`,
};

/** Cleanups run last-in first-out, on success, failure or Ctrl-C. */

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const ms = (value: number) => `${Math.round(value)} ms`;
const times = (ratio: number) => `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
const verdict = (met: boolean) => (met ? "met" : "NOT met");

export async function run(): Promise<void> {
  readTwilioSpec(); // fails early, naming BENCH_TWILIO_SPEC, if the spec isn't there
  await runBench(bench, "stopping servers and removing temp files");
}

async function bench(cleanup: Cleanup): Promise<void> {
  const twilio = readTwilioSpec();
  const specBytes = twilio.bytes;
  console.log(`\nDocs benchmark: ${path.basename(SPEC)} (${kb(specBytes.length)}) — this takes a few minutes.\n`);

  const work = mkdtempSync(path.join(tmpdir(), "portico-bench-docs-"));
  cleanup.add("temp dir", () => rmSync(work, { recursive: true, force: true }));
  const [sandboxPort, portalPort, staticPort] = [await freePort(), await freePort(), await freePort()];
  const portal = `http://127.0.0.1:${portalPort}`;
  const staticUrl = `http://127.0.0.1:${staticPort}`;

  // 1. The sandbox, with Twilio imported as a REST API, deployed to prod and sold by a usage plan.
  let done = step("sandbox: start, import Twilio, deploy prod, create usage plan");
  const sandbox = await spawnSandbox(sandboxPort, { portalUrl: `http://localhost:${portalPort}` });
  cleanup.add("sandbox", () => sandbox.stop());
  await importTwilio(sandbox.url, twilio);
  done();

  // 2. A catalog: the repo's, plus a Twilio product whose API docs come from the spec file.
  const catalog = path.join(work, "catalog");
  writeTwilioCatalog(catalog, twilio);

  // 3. next build into a folder of its own (bench/next-dist-dir.cjs), then next start.
  const distDir = `.sandbox/bench-docs-${process.pid}`;
  const createdSandboxDir = !existsSync(path.join(root, ".sandbox"));
  cleanup.add("build folder", () => {
    rmSync(path.join(root, distDir), { recursive: true, force: true });
    const parent = path.join(root, ".sandbox");
    if (createdSandboxDir && existsSync(parent) && readdirSync(parent).length === 0) rmSync(parent, { recursive: true, force: true });
  });
  const { env } = await buildPortal(cleanup, { distDir, env: { PORTICO_CATALOG_DIR: catalog } });

  // The operation page's HTML is also served by next start as a file of public/ (the names there are
  // listed when next start boots, so the file exists before it and gets its content below).
  const publicName = `docs-assets/bench-operation-${process.pid}.html`;
  const publicCopy = path.join(root, "public", publicName);
  writeFileSync(publicCopy, "");
  cleanup.add("public copy of the page", () => rmSync(publicCopy, { force: true }));

  done = step("portal: next start, first view of the API (catalog and spec load)");
  const { child: next } = await startPortal(cleanup, { port: portalPort, sandboxStateDir: sandbox.stateDir, env });
  const index = await httpGet(`${portal}/apis/${API_SLUG}`, { timeoutMs: 120_000 });
  if (index.status !== 200)
    throw new Error(`GET /apis/${API_SLUG} answered ${index.status}:\n${index.body.toString().slice(0, 500)}\n${next.output().slice(-2000)}`);
  done();

  // 4. The operation to compare: the first one Portico lists (first tag, first operation).
  const link = new RegExp(`href="/apis/${API_SLUG}/operations/([a-z0-9-]+)"`).exec(index.body.toString());
  if (!link) throw new Error(`/apis/${API_SLUG} links to no operation`);
  const slug = link[1]!;
  const document = await loadApiDocument({ file: path.basename(SPEC), text: specBytes.toString() });
  const operation = document.operations.get(slug);
  if (!operation?.operationId || !operation.tags[0]) throw new Error(`operation '${slug}' has no operationId or tag in the spec`);
  const expected = document.tags[0]?.operations[0]?.slug;
  if (expected !== slug) console.log(`  note: the API page's first operation link is '${slug}', the document model's first is '${expected}'`);
  const { operationId } = operation;
  const tag = operation.tags[0];
  const operationPath = `/apis/${API_SLUG}/operations/${slug}`;
  const slugs = document.tags.flatMap((t) => t.operations.map((o) => o.slug)).filter((s, i, all) => all.indexOf(s) === i);

  // The same page saved as a file, for the static baseline; the peers' pages beside it (bench/peers.ts).
  const plain = await httpGet(`${portal}${operationPath}`);
  if (plain.status !== 200) throw new Error(`GET ${operationPath} answered ${plain.status}`);
  const site = path.join(work, "static");
  mkdirSync(site);
  writeFileSync(path.join(site, "operation.html"), plain.body);
  writeFileSync(publicCopy, plain.body);
  // What painting this content costs on its own: the same HTML with no stylesheet or script.
  writeFileSync(
    path.join(site, "unstyled.html"),
    plain.body
      .toString()
      .replace(/<link rel="stylesheet"[^>]*>/g, "")
      .replace(/<script\b[^>]*><\/script>/g, ""),
  );
  // How soon this Chromium, here, can paint any page at all: a document with just the operation's title.
  writeFileSync(
    path.join(site, "floor.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><article id="${slug}"><h1>${operation.title.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</h1></article></body></html>`,
  );
  const peerRoutes = writePeerPages(site, twilio.title);

  // Another `next build` in this checkout (an e2e run, another benchmark) keeps other builds' files in
  // public/docs-assets/ for a day (lib/build/docs-assets.ts), but someone may clear the folder: a
  // missing script or public/ copy makes next start answer 500 for it. Next listed them when it booted, so putting the same bytes
  // back serves them again: before each section they are restored, and after it checked (a section
  // during which one went missing is named in the report).
  const assets = [...plain.body.toString().matchAll(/<link rel="stylesheet" href="(\/[^"]+)"|<script\b[^>]*\bsrc="(\/[^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
  const kept = new Map<string, Buffer>([[`/${publicName}`, plain.body]]);
  for (const asset of assets) {
    const file = path.join(root, "public", asset);
    if (existsSync(file)) kept.set(asset, readFileSync(file));
  }
  const restoreAssets = () => {
    for (const [asset, bytes] of kept) {
      const file = path.join(root, "public", asset);
      if (existsSync(file)) continue;
      mkdirSync(path.dirname(file), { recursive: true });
      // Left at the end (git-ignored, and the next build's clean-up removes it): another build of the
      // same sources may be serving the very same name by then.
      writeFileSync(file, bytes);
    }
  };
  const voided: string[] = [];
  /** After `section`: were Portico's assets there all along (and the public/ copy, for the throughput runs)? */
  const checkAssets = async (section: string, usesPublicCopy = false) => {
    for (const asset of usesPublicCopy ? [...assets, `/${publicName}`] : assets) {
      const res = await httpGet(`${portal}${asset}`);
      if (res.status === 200) continue;
      voided.push(
        `${section}: GET ${asset} answered ${res.status} after it (another next build rewrote public/docs-assets/): Portico's figures in it are void`,
      );
      console.log(`  WARNING: ${voided.at(-1)}`);
    }
    restoreAssets();
  };
  const staticServer = startChild("static server", ["--import", "tsx", "bench/static-server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      STATIC_PORT: String(staticPort),
      STATIC_ROUTES: JSON.stringify({
        "/operation.html": path.join(site, "operation.html"),
        "/unstyled.html": path.join(site, "unstyled.html"),
        "/floor.html": path.join(site, "floor.html"),
        "/spec.json": SPEC,
        ...peerRoutes,
      }),
    },
  });
  cleanup.add(
    "static server",
    () => staticServer.stop(),
    () => staticServer.terminate(),
  );
  await waitForHttp(`${staticUrl}/redoc.html`, 30_000, staticServer);

  // 5. Time to the first operation, side by side: the tools take turns in every round (the peers
  // in the first PEER_RUNS rounds after the warm-up, Portico and its baselines in all of them and
  // in the warm-up, which is for next start's first render of the page).
  const attr = (value: string) => JSON.stringify(value);
  const peerOperation = { operationId, tag, method: operation.method, path: operation.path };
  const scenarios: Record<Tool, { url: string; selector: string }> = {
    portico: { url: `${portal}${operationPath}`, selector: `article[id=${attr(slug)}] h1` },
    ...peerScenarios(staticUrl, peerOperation),
    unstyled: { url: `${staticUrl}/unstyled.html`, selector: `article[id=${attr(slug)}] h1` },
    floor: { url: `${staticUrl}/floor.html`, selector: `article[id=${attr(slug)}] h1` },
  };
  const browser = await launchChromium();
  cleanup.add("chromium", () => browser.close());
  const loads = Object.fromEntries(Object.keys(scenarios).map((tool) => [tool, []])) as unknown as Record<Tool, PageLoad[]>;
  done = step(
    `Chromium: ${operation.method.toUpperCase()} ${operation.path} (${operationId}) in each tool, 1 warm-up + ${RUNS} rounds (the peers in ${PEER_RUNS})`,
  );
  for (let round = 0; round <= RUNS; round++) {
    for (const tool of Object.keys(scenarios) as Tool[]) {
      if ((round === 0 || round > PEER_RUNS) && (PEERS as Tool[]).includes(tool)) continue;
      const result = await loadPage(browser, scenarios[tool].url, scenarios[tool].selector);
      if (round > 0) loads[tool].push(result);
      await new Promise((r) => setTimeout(r, 250)); // let the closed context's work settle
    }
  }
  done();
  await checkAssets("the page loads");

  // 6. Weight of every operation page (HTML), and the JavaScript of a sample loaded in Chromium.
  const weight = SKIP("BENCH_DOCS_WEIGHT") ? undefined : await measureWeight();
  if (weight) await checkAssets("the page weights");
  async function measureWeight(): Promise<{ pages: PageWeight[]; js: ScriptWeight[] }> {
    done = step(`page weight: HTML of all ${slugs.length} operation pages`);
    const pages: PageWeight[] = [];
    for (const s of slugs) {
      const res = await httpGet(`${portal}/apis/${API_SLUG}/operations/${s}`, { gzip: true });
      if (res.status !== 200) throw new Error(`GET /apis/${API_SLUG}/operations/${s} answered ${res.status}`);
      if (res.headers["content-encoding"] !== "gzip")
        throw new Error(`operation pages are not served gzipped (content-encoding: ${res.headers["content-encoding"] ?? "none"})`);
      pages.push({ slug: s, raw: res.body.length, gzip: res.encoded.length });
    }
    done();
    const heaviest = [...pages].sort((a, b) => b.raw - a.raw);
    const sample = [...new Set([...slugs.slice(0, JS_SAMPLE_FIRST), ...heaviest.slice(0, JS_SAMPLE_HEAVIEST).map((p) => p.slug)])];
    done = step(`page weight: JavaScript of ${sample.length} operation pages in Chromium`);
    const gzipSizes = new Map<string, number>();
    const js: ScriptWeight[] = [];
    for (const s of sample) {
      const result = await loadPage(browser, `${portal}/apis/${API_SLUG}/operations/${s}`, `article[id=${attr(s)}] h1`);
      const scripts = result.resources.filter((r) => r.type === "script");
      let gzip = 0;
      for (const script of scripts) {
        if (!gzipSizes.has(script.url)) {
          const res = await httpGet(script.url, { gzip: true });
          gzipSizes.set(script.url, res.encoded.length);
        }
        gzip += gzipSizes.get(script.url)!;
      }
      js.push({
        slug: s,
        gzip,
        asServed: scripts.reduce((n, r) => n + r.bodyBytes, 0),
        files: scripts.length,
        encodings: new Set(scripts.map((r) => r.encoding)),
      });
    }
    done();
    return { pages, js };
  }

  // 7. Throughput: the operation page from next start, and the same HTML as a static file.
  const throughput = SKIP("BENCH_DOCS_THROUGHPUT") ? undefined : await measureThroughput();
  if (throughput) await checkAssets("the throughput runs", true);
  async function measureThroughput(): Promise<Throughput[]> {
    done = step(`throughput: ${LOAD_SECONDS} s x ${CONNECTIONS} connections on next start and on the static file (after 2 s warm-ups)`);
    const throughput: Throughput[] = [];
    for (const [name, url] of [
      ["next start", `${portal}${operationPath}`],
      ["static file (node:http)", `${staticUrl}/operation.html`],
      ["next start, the same HTML as a file of public/", `${portal}/${publicName}`],
      // Next's own floor on this machine: the app's icon, a static file Next serves without the proxy.
      ["next start, /icon.svg (Next's floor)", `${portal}/icon.svg`],
    ] as const) {
      await load({ url, seconds: 2, connections: CONNECTIONS });
      throughput.push({ name, result: await load({ url, seconds: LOAD_SECONDS, connections: CONNECTIONS }) });
    }
    done();
    return throughput;
  }

  // 8. Lighthouse on an operation page of each tool, one Chromium of its own (the bench's is closed
  // first, so the two don't compete), every tool in the same conditions: Portico from next start,
  // the peers from the static server, all cold.
  await browser.close();
  const lighthouse = SKIP("BENCH_DOCS_LIGHTHOUSE") ? undefined : await measureLighthouse();
  async function measureLighthouse(): Promise<Record<Audited, LighthouseRun>> {
    const pages: Record<Audited, string> = {
      portico: `${portal}${operationPath}`,
      redoc: `${staticUrl}${PEER_PAGE.redoc}#tag/${tag}/operation/${operationId}`,
      swagger: scenarios.swaggerOpen.url,
      scalar: scenarios.scalar.url,
      elements: scenarios.elements.url,
    };
    done = step(
      `Lighthouse ${packageVersion("lighthouse")} (${LIGHTHOUSE_PRESET}): an operation page of each tool, ${LIGHTHOUSE_RUNS} run${LIGHTHOUSE_RUNS === 1 ? "" : "s"} each`,
    );
    const lh = await startLighthouse(cleanup, LIGHTHOUSE_PRESET);
    const runs = Object.fromEntries(Object.keys(pages).map((tool) => [tool, [] as LighthouseRun[]])) as Record<Audited, LighthouseRun[]>;
    for (let round = 0; round < LIGHTHOUSE_RUNS; round++) {
      for (const tool of Object.keys(pages) as Audited[]) {
        runs[tool].push(await lh.audit(pages[tool]));
        if (tool === "portico") await checkAssets(`Lighthouse on Portico (round ${round + 1})`);
      }
    }
    lh.close();
    done();
    return Object.fromEntries(Object.entries(runs).map(([tool, list]) => [tool, medianRun(list)])) as Record<Audited, LighthouseRun>;
  }

  report({
    loads,
    operation: { slug, operationId, method: operation.method, path: operation.path },
    weight,
    throughput,
    lighthouse,
    plainBytes: plain.body.length,
    voided,
  });

  // 9. The anonymous docs through a local HTTP cache (bench/docs-cache.ts prints its own section).
  await measureDocsCache(cleanup, { portal, operationPaths: [operationPath, ...slugs.map((s) => `/apis/${API_SLUG}/operations/${s}`)], work });
}

interface PageWeight {
  slug: string;
  raw: number;
  gzip: number;
}
interface ScriptWeight {
  slug: string;
  gzip: number;
  asServed: number;
  files: number;
  encodings: Set<string>;
}
type Throughput = { name: string; result: LoadResult };

function report(input: {
  loads: Record<Tool, PageLoad[]>;
  operation: { slug: string; operationId: string; method: string; path: string };
  weight?: { pages: PageWeight[]; js: ScriptWeight[] };
  throughput?: Throughput[];
  lighthouse?: Record<Audited, LighthouseRun>;
  plainBytes: number;
  voided: string[];
}): void {
  const { loads, operation, weight, throughput, lighthouse } = input;
  const summary = (tool: Tool) => {
    const runs = loads[tool];
    const visible = runs.map((r) => r.paintedMs);
    return {
      visible: median(visible),
      laidOut: median(runs.map((r) => r.laidOutMs)),
      min: Math.min(...visible),
      max: Math.max(...visible),
      ttfb: median(runs.map((r) => r.ttfbMs)),
      fcp: median(runs.map((r) => r.fcpMs ?? NaN)),
      transferred: median(runs.map((r) => r.transferredBytes)),
      requests: median(runs.map((r) => r.resources.length)),
      script: median(runs.map((r) => r.resources.filter((x) => x.type === "script").reduce((n, x) => n + x.bodyBytes, 0))),
      spec: median(runs.map((r) => r.resources.filter((x) => x.url.endsWith("/spec.json")).reduce((n, x) => n + x.bodyBytes, 0))),
    };
  };
  const tools = Object.keys(loads) as Tool[];
  const s = Object.fromEntries(tools.map((t) => [t, summary(t)])) as Record<Tool, ReturnType<typeof summary>>;
  const portico = s.portico;

  console.log(
    `\nTime to the first operation — ${operation.method.toUpperCase()} ${operation.path} (${operation.operationId}) — in headless Chromium, fresh context per load, median of ${loads.portico.length} round${loads.portico.length === 1 ? "" : "s"} (the peers: ${loads.redoc.length})`,
  );
  console.log(
    "(painted: its text on screen, by Element Timing; laid out: first frame with it in the layout; times from navigation start; bytes until 1 s of network quiet)\n",
  );
  console.log(
    table(
      tools.map((tool) => ({
        tool: TOOL_LABEL[tool],
        "first operation painted": ms(s[tool].visible),
        "min–max": `${Math.round(s[tool].min)}–${Math.round(s[tool].max)}`,
        "vs Portico":
          tool === "portico"
            ? "1x"
            : s[tool].visible >= portico.visible
              ? `${times(s[tool].visible / portico.visible)} slower`
              : `${times(portico.visible / s[tool].visible)} faster`,
        "laid out": ms(s[tool].laidOut),
        TTFB: ms(s[tool].ttfb),
        FCP: Number.isNaN(s[tool].fcp) ? "-" : ms(s[tool].fcp),
        transferred: kb(s[tool].transferred),
        "bytes vs Portico": times(s[tool].transferred / portico.transferred),
        JS: kb(s[tool].script),
        spec: s[tool].spec ? kb(s[tool].spec) : "none",
        requests: s[tool].requests,
      })),
    ),
  );

  console.log("");
  for (const note of PEER_NOTES) console.log(`  ${note}`);

  if (weight) reportWeight(operation.slug, weight);
  if (throughput) reportThroughput(operation.slug, input.plainBytes, throughput);
  if (lighthouse) reportLighthouse(lighthouse);

  // The acceptance aims of issue #20, and the older ones on weight and throughput.
  const speedup = (tool: Tool) => s[tool].visible / portico.visible;
  console.log("\nTargets");
  for (const line of input.voided) console.log(`  VOID ${line}`);
  console.log(`  first operation painted, Portico ${ms(portico.visible)}:`);
  for (const [tool, aim] of [
    ["redoc", TARGET.speedup],
    ["scalar", TARGET.speedup],
    ["swaggerOpen", TARGET.swaggerOpenSpeedup],
    ["swagger", undefined],
    ["elements", undefined],
  ] as [Tool, number | undefined][]) {
    const x = speedup(tool);
    const aimText = aim === undefined ? "(no aim)" : `aim >= ${aim}x — ${verdict(x >= aim)}`;
    console.log(`    ${times(x)} faster than ${TOOL_LABEL[tool]} (${ms(s[tool].visible)}): ${aimText}`);
  }
  const ownRatio = portico.visible / s.unstyled.visible;
  console.log(
    `    ${times(ownRatio)} the time of its own HTML without stylesheet and script (${ms(s.unstyled.visible)}): aim <= ${TARGET.unstyledRatio}x — ${verdict(ownRatio <= TARGET.unstyledRatio)}`,
  );
  console.log(
    `    (Chromium's floor here, a page holding only the title: ${ms(s.floor.visible)}, so no page can be more than ${times(s.redoc.visible / s.floor.visible)} faster than Redoc or ${times(s.swaggerOpen.visible / s.floor.visible)} than Swagger UI's deep link in this setup)`,
  );
  if (lighthouse) {
    const scores = lighthouse.portico.scores;
    const met = CATEGORIES.every((c) => (scores[c] ?? 0) >= TARGET.lighthouse);
    console.log(
      `  Lighthouse (${LIGHTHOUSE_PRESET}) on Portico's operation page >= ${TARGET.lighthouse} in all four: ${CATEGORIES.map((c) => `${c} ${scores[c] ?? "-"}`).join(", ")} — ${verdict(met)}`,
    );
  }
  if (weight) {
    const maxRaw = Math.max(...weight.pages.map((p) => p.raw));
    const maxGzip = Math.max(...weight.pages.map((p) => p.gzip));
    const maxJs = Math.max(...weight.js.map((j) => j.gzip));
    console.log(
      `  operation pages <= ${TARGET.htmlKB} KB of HTML: max ${kb(maxRaw)} uncompressed (${verdict(maxRaw <= TARGET.htmlKB * KB)}), ${kb(maxGzip)} gzipped (${verdict(maxGzip <= TARGET.htmlKB * KB)})`,
    );
    console.log(`  operation pages <= ${TARGET.jsKB} KB of JavaScript, gzipped: max ${kb(maxJs)} — ${verdict(maxJs <= TARGET.jsKB * KB)}`);
  }
  if (throughput) {
    const [dynamic, fixed, nextStatic, floor] = throughput as [Throughput, Throughput, Throughput, Throughput];
    const ratio = dynamic.result.requestsPerSecond / fixed.result.requestsPerSecond;
    const nextRatio = dynamic.result.requestsPerSecond / nextStatic.result.requestsPerSecond;
    const rps = (row: Throughput) => `${Math.round(row.result.requestsPerSecond)} req/s`;
    console.log(`  docs page under next start >= ${TARGET.throughputRatio} of the same HTML as a static file:`);
    console.log(`    served by node:http from memory: ${rps(dynamic)} vs ${rps(fixed)} = ${times(ratio)} — ${verdict(ratio >= TARGET.throughputRatio)}`);
    console.log(
      `    served by next start from public/: ${rps(dynamic)} vs ${rps(nextStatic)} = ${times(nextRatio)} — ${verdict(nextRatio >= TARGET.throughputRatio)}`,
    );
    console.log(
      `    (next start's own floor here, the 1 KB /icon.svg: ${rps(floor)} = ${times(floor.result.requestsPerSecond / fixed.result.requestsPerSecond)} of node:http)`,
    );
  }
  console.log("");
}

function reportWeight(firstSlug: string, { pages, js }: { pages: PageWeight[]; js: ScriptWeight[] }): void {
  const byRaw = [...pages].sort((a, b) => a.raw - b.raw);
  const byGzip = [...pages].sort((a, b) => a.gzip - b.gzip);
  const byJs = [...js].sort((a, b) => a.gzip - b.gzip);
  const first = pages.find((p) => p.slug === firstSlug)!;
  const maxRaw = byRaw.at(-1)!;
  const maxGzip = byGzip.at(-1)!;
  const maxJs = byJs.at(-1)!;
  const firstJs = js.find((j) => j.slug === firstSlug);
  const encodings = [...new Set(js.flatMap((j) => [...j.encodings]))].join(", ");
  console.log(
    `\nOperation page weight (1 KB = 1000 bytes; HTML of all ${pages.length} pages; JavaScript of ${js.length}: the first ${JS_SAMPLE_FIRST} and the ${JS_SAMPLE_HEAVIEST} heaviest)\n`,
  );
  console.log(
    table([
      {
        measure: "HTML, uncompressed",
        [firstSlug]: kb(first.raw),
        median: kb(median(pages.map((p) => p.raw))),
        max: `${kb(maxRaw.raw)} (${maxRaw.slug})`,
        "over 150 KB": pages.filter((p) => p.raw > TARGET.htmlKB * KB).length,
      },
      {
        measure: "HTML, gzip",
        [firstSlug]: kb(first.gzip),
        median: kb(median(pages.map((p) => p.gzip))),
        max: `${kb(maxGzip.gzip)} (${maxGzip.slug})`,
        "over 150 KB": pages.filter((p) => p.gzip > TARGET.htmlKB * KB).length,
      },
      {
        measure: "JavaScript loaded, gzip",
        [firstSlug]: firstJs ? kb(firstJs.gzip) : "-",
        median: kb(median(js.map((j) => j.gzip))),
        max: `${kb(maxJs.gzip)} (${maxJs.slug})`,
        "over 150 KB": js.filter((j) => j.gzip > TARGET.jsKB * KB).length,
      },
      {
        measure: `JavaScript as Chromium got it (${encodings})`,
        [firstSlug]: firstJs ? kb(firstJs.asServed) : "-",
        median: kb(median(js.map((j) => j.asServed))),
        max: kb(Math.max(...js.map((j) => j.asServed))),
        "over 150 KB": js.filter((j) => j.asServed > TARGET.jsKB * KB).length,
      },
      {
        measure: "script files per page",
        [firstSlug]: firstJs?.files ?? "-",
        median: median(js.map((j) => j.files)),
        max: Math.max(...js.map((j) => j.files)),
        "over 150 KB": "-",
      },
    ]),
  );
}

function reportThroughput(firstSlug: string, plainBytes: number, throughput: Throughput[]): void {
  const [, fixed, nextStatic] = throughput as [Throughput, Throughput, Throughput];
  console.log(`\nThroughput of ${firstSlug}'s page (${kb(plainBytes)} of HTML, no compression asked), ${LOAD_SECONDS} s x ${CONNECTIONS} connections\n`);
  console.log(
    table(
      throughput.map(({ name, result }) => ({
        server: name,
        "req/s": Math.round(result.requestsPerSecond),
        "vs static (node:http)": times(result.requestsPerSecond / fixed.result.requestsPerSecond),
        "vs static (next start)": times(result.requestsPerSecond / nextStatic.result.requestsPerSecond),
        "p50 ms": result.p50,
        "p99 ms": result.p99,
        statuses: Object.entries(result.statuses)
          .map(([k, v]) => `${k}:${v}`)
          .join(" "),
      })),
    ),
  );
}

/** How many of Portico's failing audits to list (by points they cost). */
const FAILING_SHOWN = 20;

function reportLighthouse(results: Record<Audited, LighthouseRun>): void {
  const conditions =
    LIGHTHOUSE_PRESET === "mobile"
      ? "mobile, Lighthouse's default: Moto G Power screen, simulated slow 4G and 4x CPU slowdown"
      : "desktop preset: 1350x940 screen, simulated 40 ms / 10 Mbps and no CPU slowdown";
  console.log(
    `\nLighthouse ${packageVersion("lighthouse")} on an operation page of each tool (${conditions}; headless Chromium, cold cache, ${LIGHTHOUSE_RUNS === 1 ? "one run" : `median of ${LIGHTHOUSE_RUNS} runs by performance`})`,
  );
  console.log("(here every host but loopback fails to resolve: a tool's requests to other hosts fail and are logged as console errors)\n");
  const secs = (value: number | undefined) => (value === undefined ? "-" : `${(value / 1000).toFixed(1)} s`);
  console.log(
    table(
      (Object.keys(results) as Audited[]).map((tool) => {
        const { scores, metrics, runtimeError } = results[tool];
        return {
          tool: AUDITED_LABEL[tool],
          performance: scores.performance ?? "-",
          accessibility: scores.accessibility ?? "-",
          "best practices": scores["best-practices"] ?? "-",
          SEO: scores.seo ?? "-",
          FCP: secs(metrics.fcp),
          LCP: secs(metrics.lcp),
          TBT: metrics.tbt === undefined ? "-" : ms(metrics.tbt),
          CLS: metrics.cls === undefined ? "-" : metrics.cls.toFixed(3),
          "speed index": secs(metrics.si),
          error: runtimeError ?? "",
        };
      }),
    ),
  );
  for (const tool of Object.keys(results) as Audited[]) {
    for (const warning of results[tool].warnings) console.log(`  ${AUDITED_LABEL[tool]}: warning: ${warning}`);
  }
  const failing = results.portico.failing;
  if (failing.length === 0) {
    console.log("\nLighthouse audits Portico's operation page fails: none");
    return;
  }
  console.log(`\nLighthouse audits Portico's operation page fails (${failing.length}; points: what each costs its category's score of 100)\n`);
  console.log(
    table(
      failing.slice(0, FAILING_SHOWN).map((audit) => ({
        category: audit.category,
        audit: audit.id,
        title: audit.title,
        score: audit.score,
        points: audit.pointsLost.toFixed(1),
        value: audit.displayValue ?? "",
        where: audit.where.join(" | "),
      })),
    ),
  );
}
