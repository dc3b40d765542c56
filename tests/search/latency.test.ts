import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { loadApiDocument } from "@/lib/openapi";
import { apiDocs, createSearchIndex, querySearchIndex } from "@/lib/search/hits";
import { TWILIO_SPEC } from "@/bench/support";

/**
 * Prints server-side search latency (index build, then p50/p95/max over 200 queries) on the Twilio
 * spec (197 operations), the benchmarks' big API. Prints only: timings vary with the machine.
 */
describe.skipIf(!existsSync(TWILIO_SPEC))("search latency on the Twilio spec", () => {
  it("answers 200 queries", async () => {
    const document = await loadApiDocument({ file: "twilio_api_v2010.json", text: readFileSync(TWILIO_SPEC, "utf8") }, { timeLimitMs: 60_000 });
    const built = performance.now();
    const index = createSearchIndex(apiDocs({ slug: "twilio", name: "Twilio", description: document.description }, document));
    const buildMs = performance.now() - built;

    const words = [...document.operations.values()].flatMap((operation) => operation.title.toLowerCase().split(/\s+/)).filter((w) => w.length > 2);
    const queries = Array.from({ length: 200 }, (_, i) => {
      const a = words[(i * 7919) % words.length]!;
      const b = words[(i * 104729) % words.length]!;
      if (i % 4 === 0) return a.slice(0, 3); // a prefix, as typed
      if (i % 4 === 1) return `${a} ${b}`;
      if (i % 4 === 2) return `${a.slice(0, -1)}x`; // a typo
      return `${a} ${b.slice(0, 2)}`;
    });
    const times: number[] = [];
    let results = 0;
    for (const query of queries) {
      const started = performance.now();
      results += querySearchIndex(index, query, 8).length;
      times.push(performance.now() - started);
    }
    times.sort((x, y) => x - y);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    console.log(
      `search latency, Twilio (${index.documentCount} documents): index built in ${buildMs.toFixed(0)} ms; ` +
        `200 queries p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times.at(-1)!.toFixed(2)} ms; ${results} hits`,
    );
    expect(results).toBeGreaterThan(0);
  });
});
