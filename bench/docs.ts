// npm run bench -- docs: Portico's API reference against Redoc and Swagger UI on Twilio's 2010 API
// (1.9 MB of OpenAPI, 197 operations), measured side by side in one run in Chromium; then the
// weight of Portico's operation pages, and how many a second `next start` serves next to the same
// HTML as a static file (from node:http, and from next start's own public/).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadApiDocument } from "../lib/openapi";
import { launchChromium, loadPage, type PageLoad } from "./browser";
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
const LOAD_SECONDS = 10;
const CONNECTIONS = 16;
/** Operation pages loaded in Chromium for their JavaScript: the first ones plus the heaviest. */
const JS_SAMPLE_FIRST = 20;
const JS_SAMPLE_HEAVIEST = 5;
const KB = 1000;
const TARGET = { speedup: 10, htmlKB: 150, jsKB: 150, throughputRatio: 0.5 };
const API_SLUG = TWILIO_SLUG;

const modules = path.join(root, "node_modules");

type Tool = "portico" | "redoc" | "swagger" | "swaggerOpen" | "unstyled" | "floor";
const version = (pkg: string) => (JSON.parse(readFileSync(path.join(modules, pkg, "package.json"), "utf8")) as { version: string }).version;
const TOOL_LABEL: Record<Tool, string> = {
  portico: "Portico (operation page, next start)",
  redoc: `Redoc ${version("redoc")} standalone`,
  swagger: `Swagger UI ${version("swagger-ui-dist")} (operation listed)`,
  swaggerOpen: `Swagger UI ${version("swagger-ui-dist")} (deep link, open)`,
  unstyled: "Portico's same HTML without its stylesheet and script (static file)",
  floor: "Chromium's floor: the operation's title alone (static file)",
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

  // The same page saved as a file, for the static baseline; Redoc and Swagger UI pages beside it.
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
  writeFileSync(
    path.join(site, "redoc.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${twilio.title} · Redoc</title></head>` +
      `<body><redoc spec-url="/spec.json"></redoc><script src="/redoc.standalone.js"></script></body></html>`,
  );
  writeFileSync(
    path.join(site, "swagger.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${twilio.title} · Swagger UI</title><link rel="stylesheet" href="/swagger-ui.css"></head>` +
      `<body><div id="swagger-ui"></div><script src="/swagger-ui-bundle.js"></script><script src="/swagger-ui-standalone-preset.js"></script><script src="/swagger-init.js"></script></body></html>`,
  );
  // As swagger-ui-dist's own index.html sets it up.
  writeFileSync(
    path.join(site, "swagger-init.js"),
    `window.ui = SwaggerUIBundle({ url: "/spec.json", dom_id: "#swagger-ui", deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], plugins: [SwaggerUIBundle.plugins.DownloadUrl], layout: "StandaloneLayout" });\n`,
  );
  const staticServer = startChild("static server", ["--import", "tsx", "bench/static-server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      STATIC_PORT: String(staticPort),
      STATIC_ROUTES: JSON.stringify({
        "/operation.html": path.join(site, "operation.html"),
        "/unstyled.html": path.join(site, "unstyled.html"),
        "/floor.html": path.join(site, "floor.html"),
        "/redoc.html": path.join(site, "redoc.html"),
        "/swagger.html": path.join(site, "swagger.html"),
        "/swagger-init.js": path.join(site, "swagger-init.js"),
        "/spec.json": SPEC,
        "/redoc.standalone.js": path.join(modules, "redoc/bundles/redoc.standalone.js"),
        "/swagger-ui.css": path.join(modules, "swagger-ui-dist/swagger-ui.css"),
        "/swagger-ui-bundle.js": path.join(modules, "swagger-ui-dist/swagger-ui-bundle.js"),
        "/swagger-ui-standalone-preset.js": path.join(modules, "swagger-ui-dist/swagger-ui-standalone-preset.js"),
      }),
    },
  });
  cleanup.add(
    "static server",
    () => staticServer.stop(),
    () => staticServer.terminate(),
  );
  await waitForHttp(`${staticUrl}/redoc.html`, 30_000, staticServer);

  // 5. Time to the first operation, side by side: the tools take turns in every round.
  const attr = (value: string) => JSON.stringify(value);
  const scenarios: Record<Tool, { url: string; selector: string }> = {
    portico: { url: `${portal}${operationPath}`, selector: `article[id=${attr(slug)}] h1` },
    redoc: { url: `${staticUrl}/redoc.html`, selector: `[data-section-id=${attr(`tag/${tag}/operation/${operationId}`)}] h2` },
    swagger: { url: `${staticUrl}/swagger.html`, selector: `[id=${attr(`operations-${tag}-${operationId}`)}] .opblock-summary-description` },
    swaggerOpen: {
      url: `${staticUrl}/swagger.html#/${tag}/${operationId}`,
      selector: `[id=${attr(`operations-${tag}-${operationId}`)}] .opblock-body .parameter__name`,
    },
    unstyled: { url: `${staticUrl}/unstyled.html`, selector: `article[id=${attr(slug)}] h1` },
    floor: { url: `${staticUrl}/floor.html`, selector: `article[id=${attr(slug)}] h1` },
  };
  const browser = await launchChromium();
  cleanup.add("chromium", () => browser.close());
  const loads: Record<Tool, PageLoad[]> = { portico: [], redoc: [], swagger: [], swaggerOpen: [], unstyled: [], floor: [] };
  done = step(`Chromium: ${operation.method.toUpperCase()} ${operation.path} (${operationId}) in each tool, 1 warm-up + ${RUNS} rounds`);
  for (let round = 0; round <= RUNS; round++) {
    for (const tool of Object.keys(scenarios) as Tool[]) {
      const result = await loadPage(browser, scenarios[tool].url, scenarios[tool].selector);
      if (round > 0) loads[tool].push(result);
      await new Promise((r) => setTimeout(r, 250)); // let the closed context's work settle
    }
  }
  done();

  // 6. Weight of every operation page (HTML), and the JavaScript of a sample loaded in Chromium.
  done = step(`page weight: HTML of all ${slugs.length} operation pages`);
  const pages: { slug: string; raw: number; gzip: number }[] = [];
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
  const js: { slug: string; gzip: number; asServed: number; files: number; encodings: Set<string> }[] = [];
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

  // 7. Throughput: the operation page from next start, and the same HTML as a static file.
  done = step(`throughput: ${LOAD_SECONDS} s x ${CONNECTIONS} connections on next start and on the static file (after 2 s warm-ups)`);
  const throughput: { name: string; result: LoadResult }[] = [];
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

  report({ loads, operation: { slug, operationId, method: operation.method, path: operation.path }, pages, js, throughput, plainBytes: plain.body.length });
}

function report(input: {
  loads: Record<Tool, PageLoad[]>;
  operation: { slug: string; operationId: string; method: string; path: string };
  pages: { slug: string; raw: number; gzip: number }[];
  js: { slug: string; gzip: number; asServed: number; files: number; encodings: Set<string> }[];
  throughput: { name: string; result: LoadResult }[];
  plainBytes: number;
}): void {
  const { loads, operation, pages, js, throughput } = input;
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
    `\nTime to the first operation — ${operation.method.toUpperCase()} ${operation.path} (${operation.operationId}) — in headless Chromium, fresh context per load, median of ${loads.portico.length} round${loads.portico.length === 1 ? "" : "s"}`,
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

  const byRaw = [...pages].sort((a, b) => a.raw - b.raw);
  const byGzip = [...pages].sort((a, b) => a.gzip - b.gzip);
  const byJs = [...js].sort((a, b) => a.gzip - b.gzip);
  const first = pages.find((p) => p.slug === operation.slug)!;
  const maxRaw = byRaw.at(-1)!;
  const maxGzip = byGzip.at(-1)!;
  const maxJs = byJs.at(-1)!;
  const firstJs = js.find((j) => j.slug === operation.slug);
  const encodings = [...new Set(js.flatMap((j) => [...j.encodings]))].join(", ");
  console.log(
    `\nOperation page weight (1 KB = 1000 bytes; HTML of all ${pages.length} pages; JavaScript of ${js.length}: the first ${JS_SAMPLE_FIRST} and the ${JS_SAMPLE_HEAVIEST} heaviest)\n`,
  );
  console.log(
    table([
      {
        measure: "HTML, uncompressed",
        [operation.slug]: kb(first.raw),
        median: kb(median(pages.map((p) => p.raw))),
        max: `${kb(maxRaw.raw)} (${maxRaw.slug})`,
        "over 150 KB": pages.filter((p) => p.raw > TARGET.htmlKB * KB).length,
      },
      {
        measure: "HTML, gzip",
        [operation.slug]: kb(first.gzip),
        median: kb(median(pages.map((p) => p.gzip))),
        max: `${kb(maxGzip.gzip)} (${maxGzip.slug})`,
        "over 150 KB": pages.filter((p) => p.gzip > TARGET.htmlKB * KB).length,
      },
      {
        measure: "JavaScript loaded, gzip",
        [operation.slug]: firstJs ? kb(firstJs.gzip) : "-",
        median: kb(median(js.map((j) => j.gzip))),
        max: `${kb(maxJs.gzip)} (${maxJs.slug})`,
        "over 150 KB": js.filter((j) => j.gzip > TARGET.jsKB * KB).length,
      },
      {
        measure: `JavaScript as Chromium got it (${encodings})`,
        [operation.slug]: firstJs ? kb(firstJs.asServed) : "-",
        median: kb(median(js.map((j) => j.asServed))),
        max: kb(Math.max(...js.map((j) => j.asServed))),
        "over 150 KB": js.filter((j) => j.asServed > TARGET.jsKB * KB).length,
      },
      {
        measure: "script files per page",
        [operation.slug]: firstJs?.files ?? "-",
        median: median(js.map((j) => j.files)),
        max: Math.max(...js.map((j) => j.files)),
        "over 150 KB": "-",
      },
    ]),
  );

  type Row = { name: string; result: LoadResult };
  const [dynamic, fixed, nextStatic, floor] = throughput as [Row, Row, Row, Row];
  const ratio = dynamic.result.requestsPerSecond / fixed.result.requestsPerSecond;
  console.log(
    `\nThroughput of ${operation.slug}'s page (${kb(input.plainBytes)} of HTML, no compression asked), ${LOAD_SECONDS} s x ${CONNECTIONS} connections\n`,
  );
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

  const redocX = s.redoc.visible / portico.visible;
  const swaggerX = s.swagger.visible / portico.visible;
  console.log("\nTargets");
  console.log(
    `  Portico >= ${TARGET.speedup}x faster to the first operation than Redoc and Swagger UI: ${times(redocX)} and ${times(swaggerX)} (Swagger UI with the operation open: ${times(s.swaggerOpen.visible / portico.visible)}) — ${verdict(redocX >= TARGET.speedup && swaggerX >= TARGET.speedup)}`,
  );
  console.log(
    `    (Chromium's floor here, a page holding only the title: ${ms(s.floor.visible)}, so no page can be more than ${times(s.swagger.visible / s.floor.visible)} faster than Swagger UI in this setup;`,
  );
  console.log(
    `     Portico's HTML with no stylesheet or script: ${ms(s.unstyled.visible)}, so no page with this content can be more than ${times(s.swagger.visible / s.unstyled.visible)} faster)`,
  );
  console.log(
    `  operation pages <= ${TARGET.htmlKB} KB of HTML: max ${kb(maxRaw.raw)} uncompressed (${verdict(maxRaw.raw <= TARGET.htmlKB * KB)}), ${kb(maxGzip.gzip)} gzipped (${verdict(maxGzip.gzip <= TARGET.htmlKB * KB)})`,
  );
  console.log(`  operation pages <= ${TARGET.jsKB} KB of JavaScript, gzipped: max ${kb(maxJs.gzip)} — ${verdict(maxJs.gzip <= TARGET.jsKB * KB)}`);
  const nextRatio = dynamic.result.requestsPerSecond / nextStatic.result.requestsPerSecond;
  const rps = (row: Row) => `${Math.round(row.result.requestsPerSecond)} req/s`;
  console.log(`  docs page under next start >= ${TARGET.throughputRatio} of the same HTML as a static file:`);
  console.log(`    served by node:http from memory: ${rps(dynamic)} vs ${rps(fixed)} = ${times(ratio)} — ${verdict(ratio >= TARGET.throughputRatio)}`);
  console.log(
    `    served by next start from public/: ${rps(dynamic)} vs ${rps(nextStatic)} = ${times(nextRatio)} — ${verdict(nextRatio >= TARGET.throughputRatio)}`,
  );
  console.log(
    `    (next start's own floor here, the 1 KB /icon.svg: ${rps(floor)} = ${times(floor.result.requestsPerSecond / fixed.result.requestsPerSecond)} of node:http)\n`,
  );
}
