import { existsSync } from "node:fs";
import { chromium, type Browser, type Request } from "playwright-core";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
/** The network counts as idle after this long with no request in flight or started. */
const QUIET_MS = 1_000;

/** The Chromium the benchmarks drive: BENCH_CHROMIUM, else Debian's, else Playwright's own. */
export const chromiumPath = (): string | undefined => process.env.BENCH_CHROMIUM ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);

/** Flags for every Chromium a benchmark starts (Playwright's, and Lighthouse's through chrome-launcher). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-gpu",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

/**
 * Headless Chromium as the e2e journeys run it; every host name but loopback fails to resolve at
 * once, so a page's third-party requests (web fonts…) neither leave the machine nor stall it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({
    executablePath,
    // The benchmark stops Chromium with everything else; Playwright's own handlers would exit the
    // process on Ctrl-C before the other servers and temp files are cleaned up.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });
}

export interface ResourceSize {
  url: string;
  type: string;
  status: number;
  encoding: string;
  /** Response body as transferred (compressed when the server compressed it). */
  bodyBytes: number;
  /** Response body plus response headers: what DevTools calls "transferred". */
  transferredBytes: number;
}

export interface PageLoad {
  /** ms from navigation start until the watched element's text was painted (Element Timing). */
  paintedMs: number;
  /** ms from navigation start until the first animation frame in which the element was laid out. */
  laidOutMs: number;
  /** ms from navigation start until the document's first byte arrived. */
  ttfbMs: number;
  /** First contentful paint, ms from navigation start. */
  fcpMs: number | undefined;
  /** Every response until the network went idle (1 s without requests) after the element showed. */
  resources: ResourceSize[];
  transferredBytes: number;
}

/**
 * Runs in the page from the start of the document (a string, not a function: tsx/esbuild would add
 * helper calls such as `__name` to a compiled function, which don't exist in the browser).
 *  - __benchPainted: when the watched element's text was first painted — Element Timing's
 *    renderTime (a MutationObserver tags matching elements with `elementtiming` as soon as they are
 *    inserted, before any paint, and keeps tagging until one is painted: a framework may replace the
 *    first element it inserted, e.g. Scalar's; the element must hold its text itself).
 *  - __benchVisible: the start of the first animation frame in which it existed with a layout box,
 *    text and not visibility:hidden (before that frame's paint: a lower bound).
 */
const WATCHER = `function (watched) {
  if (window.top !== window) return;
  var tagger = new MutationObserver(function () {
    var element = document.querySelector(watched);
    if (element && !element.hasAttribute("elementtiming")) element.setAttribute("elementtiming", "bench");
  });
  new PerformanceObserver(function (list, observer) {
    list.getEntries().forEach(function (entry) {
      if (entry.identifier !== "bench" || window.__benchPainted !== undefined) return;
      window.__benchPainted = entry.renderTime || entry.startTime;
      observer.disconnect();
      tagger.disconnect();
    });
  }).observe({ type: "element", buffered: true });
  tagger.observe(document, { childList: true, subtree: true });
  function tick() {
    var element = document.querySelector(watched);
    if (element && element.getClientRects().length > 0 && (element.textContent || "").trim() && getComputedStyle(element).visibility !== "hidden") {
      window.__benchVisible = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
}`;

declare global {
  interface Window {
    __benchVisible?: number;
    __benchPainted?: number;
  }
}

/**
 * Loads `url` in a fresh browser context (empty cache, no cookies) and times how long until
 * `selector` (an element holding text itself) is on screen: when Chromium painted its text, from
 * navigation start — so the figure includes server time, download, parsing, script, layout and
 * paint: whatever each tool needs before a reader sees the operation.
 */
export async function loadPage(
  browser: Browser,
  url: string,
  selector: string,
  options: { timeoutMs?: number; idleTimeoutMs?: number } = {},
): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: `(${WATCHER})(${JSON.stringify(selector)});` });
    const pending: Promise<ResourceSize | undefined>[] = [];
    const sizeOf = async (request: Request): Promise<ResourceSize | undefined> => {
      const response = await request.response();
      if (!response) return undefined;
      const sizes = await request.sizes();
      return {
        url: request.url(),
        type: request.resourceType(),
        status: response.status(),
        encoding: (await response.allHeaders())["content-encoding"] ?? "identity",
        bodyBytes: sizes.responseBodySize,
        transferredBytes: sizes.responseBodySize + sizes.responseHeadersSize,
      };
    };
    let inflight = 0;
    let lastActivity = performance.now();
    page.on("request", () => {
      inflight++;
      lastActivity = performance.now();
    });
    page.on("requestfailed", () => {
      inflight--;
      lastActivity = performance.now();
    });
    page.on("requestfinished", (request) => {
      inflight--;
      lastActivity = performance.now();
      pending.push(sizeOf(request).catch(() => undefined));
    });

    await page.goto(url, { waitUntil: "commit", timeout: options.timeoutMs ?? 60_000 });
    try {
      await page.waitForFunction(() => window.__benchVisible !== undefined && window.__benchPainted !== undefined, undefined, {
        timeout: options.timeoutMs ?? 60_000,
        polling: 50,
      });
    } catch (error) {
      const seen = await page
        .evaluate((watched: string) => {
          const element = document.querySelector(watched);
          return `title '${document.title}', ${document.querySelectorAll("*").length} elements, watched element ${element ? `found (${element.getClientRects().length} boxes, text '${element.textContent?.trim().slice(0, 60)}')` : "not found"}, laid out ${"__benchVisible" in window ? "yes" : "no"}, painted (Element Timing) ${"__benchPainted" in window ? "yes" : "no"}`;
        }, selector)
        .catch((e: Error) => `page not readable: ${e.message}`);
      throw new Error(`${url}: '${selector}' was not rendered (${(error as Error).message.split("\n")[0]}); ${seen}`);
    }
    // Whatever the page still fetches on its own (prefetches, lazy chunks) counts as its weight:
    // wait until nothing is in flight and nothing started for QUIET_MS (at most idleTimeoutMs).
    const idleDeadline = performance.now() + (options.idleTimeoutMs ?? 20_000);
    while ((inflight > 0 || performance.now() - lastActivity < QUIET_MS) && performance.now() < idleDeadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const timings = await page.evaluate(() => {
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      return {
        paintedMs: window.__benchPainted!,
        laidOutMs: window.__benchVisible!,
        ttfbMs: navigation?.responseStart ?? NaN,
        fcpMs: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      };
    });
    const resources = (await Promise.all(pending)).filter((r): r is ResourceSize => r !== undefined);
    return { ...timings, resources, transferredBytes: resources.reduce((n, r) => n + r.transferredBytes, 0) };
  } finally {
    await context.close();
  }
}
