import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { h } from "preact";
import { render } from "preact-render-to-string";
import { DocsNav } from "@/components/docs/docs-shell";
import { OperationPage, TagPage } from "@/components/docs/pages";
import { ApiOverviewIndex } from "@/components/docs/tag-operation-list";
import type { CatalogApi } from "@/lib/catalog/types";
import type { ApiDocument, Operation, Tag } from "@/lib/openapi/types";

export const API: CatalogApi = {
  slug: "big",
  name: "Big API",
  apiId: "abc123",
  stage: "prod",
  invokeUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
  spec: { source: "file", file: "big.json" },
};

const SITE = "https://developer.example.com";

/** The operation page's content, as docs-route.tsx renders it (the document around it is small and fixed). */
export function operationPage(document: ApiDocument, operation: Operation, signedIn = false): string {
  return render(h(OperationPage, { api: API, document, operation, signedIn, site: SITE }));
}

export function tagPage(document: ApiDocument, tag: Tag): string {
  return render(h(TagPage, { api: API, document, tag, site: SITE }));
}

/**
 * The API overview's spec-sized parts, as app/(public)/apis/[api]/page.tsx renders them (its
 * header, access and download boxes are a few fixed KB around these).
 */
export function overviewPage(document: ApiDocument): string {
  return render(h(DocsNav, { api: API, document })) + render(h(ApiOverviewIndex, { api: API, tags: document.tags }));
}

// A full collection before each measurement, so the heap figure is this render's and not leftovers.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

export interface Measured {
  html: string;
  kb: number;
  ms: number;
  /**
   * Memory the render took: the larger of the heap in use right after it less just before (garbage
   * included) and the growth of the process's peak resident size (catches a collection mid-render).
   */
  heapMb: number;
}

export function measure(run: () => string): Measured {
  gc();
  const before = process.memoryUsage().heapUsed;
  const peakBefore = process.resourceUsage().maxRSS;
  const started = performance.now();
  const html = run();
  const ms = performance.now() - started;
  const heap = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  const peak = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  const heapMb = Math.max(heap, peak);
  return { html, kb: Buffer.byteLength(html) / 1024, ms, heapMb };
}

export function figures(label: string, m: Measured): string {
  return `${label}: ${m.kb.toFixed(1)} KB, ${Math.round(m.ms)} ms, heap +${m.heapMb.toFixed(0)} MB`;
}

/** How many times `needle` occurs in `html`. */
export function count(html: string, needle: string): number {
  let n = 0;
  for (let at = html.indexOf(needle); at !== -1; at = html.indexOf(needle, at + needle.length)) n++;
  return n;
}
