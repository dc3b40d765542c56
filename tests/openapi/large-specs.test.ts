import { describe, expect, it } from "vitest";
import { loadApiDocument } from "@/lib/openapi";
import { renderOperationPage, renderSidebar, source } from "./helpers";

const MAX_PAGE_BYTES = 150 * 1024;

describe.each(["twilio_api_v2010.json", "twilio_verify_v2.json"])("big spec %s", (name) => {
  it("loads, and every operation page renders under 150 KB", async () => {
    const spec = source(`/work/shared/data/openapi/${name}`);
    const started = performance.now();
    const doc = await loadApiDocument(spec);
    const loadMs = performance.now() - started;
    expect(doc.operations.size).toBeGreaterThan(50);
    // Generous bound for a shared 2-core CI box; the figure is printed below.
    expect(loadMs).toBeLessThan(5_000);

    let largest = { slug: "", bytes: 0 };
    let total = 0;
    const renderStarted = performance.now();
    for (const operation of doc.operations.values()) {
      const bytes = Buffer.byteLength(renderOperationPage(doc, operation));
      total += bytes;
      if (bytes > largest.bytes) largest = { slug: operation.slug, bytes };
    }
    const renderMs = performance.now() - renderStarted;
    const sidebar = Buffer.byteLength(renderSidebar(doc, { currentSlug: largest.slug }));
    console.log(
      `${name}: ${(Buffer.byteLength(spec.text) / 1024 / 1024).toFixed(2)} MB spec, ${doc.operations.size} operations, ${doc.tags.length} tags; ` +
        `loaded in ${Math.round(loadMs)} ms; rendered all in ${Math.round(renderMs)} ms; ` +
        `largest page ${largest.slug} ${(largest.bytes / 1024).toFixed(1)} KB (sidebar ${(sidebar / 1024).toFixed(1)} KB), mean ${(total / doc.operations.size / 1024).toFixed(1)} KB`,
    );
    expect(largest.bytes).toBeLessThan(MAX_PAGE_BYTES);
    // Only the current tag's operations are listed: the sidebar stays small.
    expect(sidebar).toBeLessThan(40 * 1024);
  });
});
