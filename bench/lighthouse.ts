// Lighthouse (npm `lighthouse`) on the benchmarks' Chromium: one Chromium started by chrome-launcher
// with the benchmarks' flags (every host but loopback unresolvable), audited over its DevTools port,
// one page after another, each from a cold cache. Scores are Lighthouse's own 0–100.
import { launch as launchChrome, type LaunchedChrome } from "chrome-launcher";
import lighthouse, { desktopConfig, type Config, type Flags, type Result } from "lighthouse";
import { CHROMIUM_ARGS, chromiumPath } from "./browser";
import type { Cleanup } from "./support";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

/** "mobile": Lighthouse's default (Moto G Power screen, simulated slow 4G and 4x CPU slowdown); "desktop": its desktop preset. */
export type Preset = "mobile" | "desktop";

export interface FailingAudit {
  category: Category;
  id: string;
  title: string;
  /** 0–100. */
  score: number;
  /** Points of the category's 0–100 score this audit costs: weight share x (1 - score). */
  pointsLost: number;
  displayValue?: string;
  /** A few of the elements or URLs the audit names. */
  where: string[];
}

export interface LighthouseRun {
  /** 0–100, or null when the category could not be scored. */
  scores: Record<Category, number | null>;
  /** Lab metrics in ms (CLS unitless), as Lighthouse reports them. */
  metrics: { fcp?: number; lcp?: number; tbt?: number; cls?: number; si?: number };
  failing: FailingAudit[];
  warnings: string[];
  runtimeError?: string;
}

export interface LighthouseBrowser {
  port: number;
  audit(url: string): Promise<LighthouseRun>;
  /** Stops its Chromium (the cleanup would too). */
  close(): void;
}

/** Starts the Chromium Lighthouse drives (stopped by `cleanup`); each audit() runs Lighthouse on one URL with `preset`. */
export async function startLighthouse(cleanup: Cleanup, preset: Preset): Promise<LighthouseBrowser> {
  const chrome: LaunchedChrome = await launchChrome({
    chromePath: chromiumPath(),
    chromeFlags: ["--headless=new", ...CHROMIUM_ARGS],
    // The benchmark's own cleanup stops Chromium with everything else.
    handleSIGINT: false,
    logLevel: "silent",
  });
  let running = true;
  const close = () => {
    if (running) chrome.kill();
    running = false;
  };
  cleanup.add("lighthouse chromium", close, () => chrome.process.kill("SIGTERM"));
  const config: Config | undefined = preset === "desktop" ? desktopConfig : undefined;
  const flags: Flags = {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: [...CATEGORIES],
    // Not scored, and costly on a 5 MB single-page reference.
    disableFullPageScreenshot: true,
  };
  return {
    port: chrome.port,
    async audit(url) {
      const result = await lighthouse(url, flags, config);
      if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
      return summarize(result.lhr);
    },
    close,
  };
}

const where = (details: unknown): string[] => {
  const items = (details as { items?: unknown[] } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  return items.slice(0, 3).flatMap((raw) => {
    const item = raw as { node?: { selector?: string; snippet?: string }; url?: string; source?: { url?: string }; description?: string };
    const label = item.node?.selector ?? item.node?.snippet ?? item.url ?? item.source?.url ?? item.description;
    return typeof label === "string" && label ? [label.length > 120 ? `${label.slice(0, 117)}...` : label] : [];
  });
};

export function summarize(lhr: Result): LighthouseRun {
  const scores = {} as Record<Category, number | null>;
  const failing: FailingAudit[] = [];
  for (const category of CATEGORIES) {
    const entry = lhr.categories[category];
    scores[category] = entry?.score === null || entry?.score === undefined ? null : Math.round(entry.score * 100);
    if (!entry) continue;
    const total = entry.auditRefs.reduce((n, ref) => n + ref.weight, 0);
    for (const ref of entry.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= 1 || ref.weight === 0) continue;
      failing.push({
        category,
        id: ref.id,
        title: audit.title,
        score: Math.round(audit.score * 100),
        pointsLost: total ? (ref.weight / total) * (1 - audit.score) * 100 : 0,
        ...(audit.displayValue ? { displayValue: String(audit.displayValue) } : {}),
        where: where(audit.details),
      });
    }
  }
  failing.sort((a, b) => b.pointsLost - a.pointsLost);
  const metric = (id: string) => lhr.audits[id]?.numericValue;
  return {
    scores,
    metrics: {
      fcp: metric("first-contentful-paint"),
      lcp: metric("largest-contentful-paint"),
      tbt: metric("total-blocking-time"),
      cls: metric("cumulative-layout-shift"),
      si: metric("speed-index"),
    },
    failing,
    warnings: lhr.runWarnings.map(String),
    ...(lhr.runtimeError ? { runtimeError: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
  };
}

/** The median run by performance score (the other categories hardly vary between runs). */
export function medianRun(runs: LighthouseRun[]): LighthouseRun {
  const sorted = [...runs].sort((a, b) => (a.scores.performance ?? -1) - (b.scores.performance ?? -1));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
