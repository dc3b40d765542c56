import { describe, expect, it, vi } from "vitest";
import { SpecError, loadApiDocument } from "@/lib/openapi";
import { MAX_EXPANDED_NODES } from "@/lib/openapi/load-document";
import { expandedNodeCount } from "@/lib/openapi/ref-budget";
import { renderOperationPage } from "./helpers";

/** `width` properties in each of `depth` schemas, every one a $ref to the next schema: tiny text, exponential tree. */
function fanOut(width: number, depth: number, { broken = false } = {}): string {
  const schemas: Record<string, unknown> = {};
  for (let d = 0; d < depth; d++) {
    const properties: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) properties[`p${i}`] = d + 1 < depth ? { $ref: `#/components/schemas/S${d + 1}` } : { type: broken ? "strin" : "string" };
    schemas[`S${d}`] = { type: "object", properties };
  }
  const content = { "application/json": { schema: { $ref: "#/components/schemas/S0" } } };
  return JSON.stringify({
    openapi: "3.0.3",
    info: { title: "Fan-out", version: "1" },
    paths: { "/fan": { get: { operationId: "fan", responses: { "200": { description: "ok", content } } } } },
    components: { schemas },
  });
}

describe("a spec whose $refs fan out 10 ways, 7 deep", () => {
  const text = fanOut(10, 7);

  it("is about 3 KB, and its inlined tree is far past the bound", () => {
    expect(text.length).toBeGreaterThan(2_500);
    expect(text.length).toBeLessThan(4_000);
    // 26 million nodes inlined: counting stops just past the bound.
    expect(expandedNodeCount(JSON.parse(text), MAX_EXPANDED_NODES)).toBe(MAX_EXPANDED_NODES + 1);
  });

  it("loads (references shared, not copied) and its page renders, within a few seconds", async () => {
    const started = performance.now();
    const doc = await loadApiDocument({ file: "fan.json", text });
    const operation = doc.operations.get("fan");
    expect(operation).toBeDefined();
    // The same schema object everywhere it is used: a graph the size of the file, not a tree.
    const s0 = operation?.responses[0]?.content[0]?.schema;
    const s1 = s0?.properties[0]?.schema;
    expect(s1?.name).toBe("S1");
    expect(s0?.properties[1]?.schema).toBe(s1);
    const html = renderOperationPage(doc, operation as NonNullable<typeof operation>);
    expect(html.length).toBeLessThan(1_000_000);
    // Generous: measured about 0.4 s (it was 17–23 s).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("is still validated: an error in it is found, quickly, where it was written", async () => {
    const error = await loadApiDocument({ file: "fan.json", text: fanOut(10, 7, { broken: true }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).location.path).toMatch(/^components\.schemas\.S6\.properties\.p\d\.type$/);
  });

  it("Swagger 2.0 too", async () => {
    const api = JSON.parse(fanOut(10, 7)) as { components: { schemas: Record<string, unknown> } };
    const swagger = JSON.stringify({
      swagger: "2.0",
      info: { title: "Fan-out", version: "1" },
      paths: { "/fan": { get: { operationId: "fan", responses: { "200": { description: "ok", schema: { $ref: "#/definitions/S0" } } } } } },
      definitions: JSON.parse(JSON.stringify(api.components.schemas).replaceAll("#/components/schemas/", "#/definitions/")),
    });
    const started = performance.now();
    const doc = await loadApiDocument({ file: "fan2.json", text: swagger });
    expect(doc.operations.get("fan")?.responses[0]?.content[0]?.schema?.name).toBe("S0");
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("small fan-outs keep swagger-parser's own validation (inlined)", () => {
    expect(expandedNodeCount(JSON.parse(fanOut(3, 3)), MAX_EXPANDED_NODES)).toBeLessThan(1_000);
  });
});

describe("the load's time limit covers every step", () => {
  it("a load past its limit is refused with a clear SpecError", async () => {
    // Every clock reading a second later: the limit passes during the load, whichever step notices.
    const now = vi.spyOn(Date, "now");
    let t = 0;
    now.mockImplementation(() => (t += 1_000));
    try {
      const error = await loadApiDocument({ file: "slow.json", text: fanOut(2, 2) }, { timeLimitMs: 1_500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).message).toMatch(/^slow\.json: loading took longer than 1\.5 s and was stopped/);
    } finally {
      now.mockRestore();
    }
  });
});
