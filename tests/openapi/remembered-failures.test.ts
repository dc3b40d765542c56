import { afterEach, describe, expect, it, vi } from "vitest";
import type { CatalogApi } from "@/lib/catalog/types";
import { SpecError } from "@/lib/openapi";

// Count the loads: the expensive step a remembered failure must not redo.
const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/openapi", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/openapi")>();
  return {
    ...original,
    loadApiDocument: (...args: Parameters<typeof original.loadApiDocument>) => {
      loads.count++;
      return original.loadApiDocument(...args);
    },
  };
});

const { forgetFailedApiDocuments, getApiDocument, keepExportedSpec } = await import("@/lib/catalog/specs");

function exportedApi(slug: string, text: string): CatalogApi {
  return { slug, name: slug, apiId: "a1", stage: "prod", spec: { source: "export", file: `${slug}.json`, sha: keepExportedSpec(text) } };
}

const broken = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "T", version: "1" },
  paths: {
    "/x": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Missing" } } } } } } },
  },
});
const good = JSON.stringify({ openapi: "3.0.3", info: { title: "T", version: "1" }, paths: {} });

describe("getApiDocument remembers failures like successes", () => {
  afterEach(() => {
    forgetFailedApiDocuments();
    loads.count = 0;
  });

  it("the second request answers the same SpecError without loading again", async () => {
    const api = exportedApi("broken", broken);
    const first = await getApiDocument(api).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SpecError);
    expect(loads.count).toBe(1);
    const second = await getApiDocument(api).catch((e: unknown) => e);
    expect(second).toBe(first);
    expect(loads.count).toBe(1);
  });

  it("forgetting failures (a catalog refresh) loads again; successes stay cached", async () => {
    const api = exportedApi("broken-again", broken);
    await getApiDocument(api).catch(() => undefined);
    forgetFailedApiDocuments();
    await expect(getApiDocument(api)).rejects.toBeInstanceOf(SpecError);
    expect(loads.count).toBe(2);

    const fine = exportedApi("fine", good);
    const doc = await getApiDocument(fine);
    expect(await getApiDocument(fine)).toBe(doc);
    expect(loads.count).toBe(3);
  });

  it("a failure is kept for refreshMinutes, then loaded again", async () => {
    const api = exportedApi("aging", broken);
    await getApiDocument(api).catch(() => undefined);
    vi.useFakeTimers({ now: Date.now() + 16 * 60_000, toFake: ["Date"] });
    try {
      await expect(getApiDocument(api)).rejects.toBeInstanceOf(SpecError);
      expect(loads.count).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a new version of the spec (another hash) is loaded afresh", async () => {
    await getApiDocument(exportedApi("versioned", broken)).catch(() => undefined);
    await getApiDocument(exportedApi("versioned", good));
    expect(loads.count).toBe(2);
  });
});
