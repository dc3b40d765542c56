import { describe, expect, it } from "vitest";
import type { RawSpec } from "@/lib/try-it/raw-spec";
import { ajvInstanceCount, checkBody, checkParameters, compileBodySchema, MAX_DEPTH, MAX_SCHEMA_NODES } from "@/lib/try-it/validate";
import type { Operation } from "@/lib/openapi/types";

/** A spec with one POST /things whose JSON body has `schema`, and `components` beside it. */
let counter = 0;
function specWith(schema: unknown, dialect: RawSpec["dialect"] = "3.0", components: Record<string, unknown> = {}): RawSpec {
  counter += 1;
  return {
    key: `test-${counter}`,
    dialect,
    doc: {
      openapi: dialect === "3.1" ? "3.1.0" : "3.0.3",
      paths: { "/things": { post: { requestBody: { content: { "application/json": { schema } } } } } },
      components: { schemas: components },
    },
  };
}
const op = { method: "post", path: "/things" } as const;
const check = (spec: RawSpec, body: unknown) => checkBody(spec, op, "application/json", typeof body === "string" ? body : JSON.stringify(body));

const PET = {
  type: "object",
  required: ["id", "name", "kind"],
  additionalProperties: false,
  properties: {
    id: { type: "integer", readOnly: true },
    name: { type: "string", minLength: 1, pattern: "^[A-Z]" },
    kind: { type: "string", enum: ["cat", "dog"] },
    age: { type: "integer", minimum: 0, exclusiveMinimum: true, nullable: true },
    owner: { $ref: "#/components/schemas/Owner" },
    born: { type: "string", format: "date" },
    chip: { type: "string", format: "x-vendor-chip" },
  },
};
const OWNER = {
  type: "object",
  nullable: true,
  properties: { name: { type: "string" }, friends: { type: "array", items: { $ref: "#/components/schemas/Owner" } } },
};

describe("request bodies against the spec's schema", () => {
  it("accepts a valid body and names each problem of an invalid one by JSON pointer (OpenAPI 3.0)", () => {
    const spec = specWith({ $ref: "#/components/schemas/Pet" }, "3.0", { Pet: PET, Owner: OWNER });
    // id is readOnly: required in responses, not in requests. age: nullable. owner: recursive and nullable. An unknown format is no error.
    expect(check(spec, { name: "Rex", kind: "dog", age: null, owner: { name: "Ann", friends: [{ name: "Bo", friends: [] }, null] }, chip: "??" })).toEqual({
      state: "valid",
    });
    const result = check(spec, { name: "rex", kind: "cow", age: 0, colour: "red", owner: { friends: [{ name: 5 }] }, born: "yesterday" });
    expect(result.state).toBe("invalid");
    const problems = result.state === "invalid" ? result.problems : [];
    expect(problems).toEqual(
      expect.arrayContaining([
        { in: "body", path: "/name", message: 'must match pattern "^[A-Z]"' },
        { in: "body", path: "/kind", message: 'must be one of "cat", "dog"' },
        { in: "body", path: "/age", message: "must be > 0" },
        { in: "body", path: "/colour", message: "is not allowed here (the schema has no such property)" },
        { in: "body", path: "/owner/friends/0/name", message: "must be string" },
        { in: "body", path: "/born", message: 'must match format "date"' },
      ]),
    );
    expect(check(spec, {}).state === "invalid" && check(spec, {})).toMatchObject({
      problems: [
        { path: "/name", message: "is required" },
        { path: "/kind", message: "is required" },
      ],
    });
  });

  it("speaks JSON Schema 2020-12 for OpenAPI 3.1: type lists, $ref with siblings, prefixItems", () => {
    const spec = specWith(
      {
        type: "object",
        properties: {
          note: { type: ["string", "null"] },
          tag: { $ref: "#/components/schemas/Tag", maxLength: 3 },
          pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
        },
      },
      "3.1",
      { Tag: { type: "string", minLength: 2 } },
    );
    expect(check(spec, { note: null, tag: "ab", pair: ["a", 1] })).toEqual({ state: "valid" });
    const result = check(spec, { note: 1, tag: "abcd", pair: ["a", "b", 3] });
    expect(result.state === "invalid" && result.problems.map((p) => p.path).sort()).toEqual(["/note", "/pair", "/pair/1", "/tag"]);
  });

  it("says where malformed JSON breaks, with line and column", () => {
    const spec = specWith({ type: "object" });
    const result = check(spec, '{\n  "name": "Rex",\n  "kind": }');
    expect(result).toMatchObject({ state: "invalid", problems: [{ in: "body", path: "", line: 3, column: 11 }] });
    expect(result.state === "invalid" && result.problems[0]?.message).toBe('isn\'t valid JSON: unexpected "}" (line 3, column 11)');
    expect(check(spec, '{"a": 1')).toMatchObject({ state: "invalid", problems: [{ message: "isn't valid JSON: it ends too soon (line 1, column 8)" }] });
  });

  it("finds the first offence in any malformed JSON, at any depth", async () => {
    const { jsonErrorOffset } = await import("@/lib/try-it/validate");
    for (const [text, offset] of [
      ["[1,]", 3],
      ['{"a" 1}', 5],
      ['{"a":1,}', 7],
      ['"\\x"', 1],
      ['"a\nb"', 2],
      ["01", 1],
      ["[1] x", 4],
      ["{'a':1}", 1],
      ["", 0],
      [`${"[".repeat(100_000)}${"]".repeat(99_999)}`, 199_999],
    ] as const) {
      expect(() => JSON.parse(text), text.slice(0, 20)).toThrow();
      expect(jsonErrorOffset(text), text.slice(0, 20)).toBe(offset);
    }
  });

  it("doesn't check what it can't: other media types, no schema, references out of the spec", () => {
    const spec = specWith({ type: "object" });
    expect(checkBody(spec, op, "application/xml", "<a/>")).toEqual({
      state: "unchecked",
      reason: "only JSON bodies are checked, and this one is application/xml",
    });
    expect(compileBodySchema(spec, undefined)).toEqual({ reason: "the spec gives no schema for this body" });
    expect(compileBodySchema(spec, { $ref: "https://example.com/schema.json" })).toEqual({ reason: expect.stringMatching(/outside the spec/) });
    expect(compileBodySchema(spec, { $ref: "#/components/schemas/Missing" })).toEqual({ reason: expect.stringMatching(/isn't in the spec/) });
  });

  it("bounds pathological schemas: huge, deeply nested, exponential fan-out, backtracking patterns", () => {
    const spec = specWith({});
    // Over the size bound: refused before Ajv sees it.
    const huge = { type: "object", properties: Object.fromEntries(Array.from({ length: MAX_SCHEMA_NODES + 10 }, (_, i) => [`p${i}`, { type: "string" }])) };
    let started = performance.now();
    expect(compileBodySchema(spec, huge)).toEqual({ reason: expect.stringMatching(/too large to check/) });
    let deep: unknown = { type: "string" };
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { type: "object", properties: { next: deep } };
    expect(compileBodySchema(spec, deep)).toEqual({ reason: expect.stringMatching(/nested too deeply/) });
    expect(performance.now() - started).toBeLessThan(1_000);

    // Ten references per schema, seven schemas deep: 10^7 paths when inlined, seven definitions here.
    const components: Record<string, unknown> = { S7: { type: "string" } };
    for (let level = 6; level >= 0; level--)
      components[`S${level}`] = {
        type: "object",
        properties: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, { $ref: `#/components/schemas/S${level + 1}` }])),
      };
    const fanOut = specWith({ $ref: "#/components/schemas/S0" }, "3.0", components);
    started = performance.now();
    expect(check(fanOut, { f0: { f1: { f2: { f3: { f4: { f5: { f6: "x" } } } } } } })).toEqual({ state: "valid" });
    expect(check(fanOut, { f9: { f1: { f2: { f3: { f4: { f5: { f6: 1 } } } } } } })).toMatchObject({
      state: "invalid",
      problems: [{ path: "/f9/f1/f2/f3/f4/f5/f6", message: "must be string" }],
    });
    expect(performance.now() - started).toBeLessThan(2_000);

    // A catastrophic-backtracking pattern against a hostile string: RE2 answers at once.
    const redos = specWith({ type: "string", pattern: "^(a+)+$" });
    started = performance.now();
    expect(check(redos, JSON.stringify(`${"a".repeat(5_000)}!`))).toMatchObject({ state: "invalid", problems: [{ path: "" }] });
    expect(performance.now() - started).toBeLessThan(1_000);
    // A lookahead (not RE2) is left unchecked rather than failing the schema.
    expect(check(specWith({ type: "string", pattern: "^(?=x)" }), '"anything"')).toEqual({ state: "valid" });
  });

  it("keeps a schema Ajv can't compile as 'not checked', and caps the problems listed", () => {
    expect(compileBodySchema(specWith({}), { type: "object", required: ["a"], properties: { a: { $ref: "#/paths" } } })).toMatchObject({
      validate: expect.any(Function),
    });
    const many = specWith({ type: "array", items: { type: "string" } });
    const result = check(
      many,
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(result.state === "invalid" && result.problems).toHaveLength(20);
  });

  it("counts the entries of required, enum, const, dependentRequired and schema maps towards the size bound", () => {
    const spec = { doc: {}, dialect: "3.1" } as const;
    const tooLarge = { reason: expect.stringMatching(/too large to check here \(over 5,000 parts\)/) };
    const names = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);
    // Each of these is one schema object ("one part" before): Ajv's work grows with its entries all the same.
    expect(compileBodySchema(spec, { type: "object", dependentRequired: Object.fromEntries(names(50_000).map((n) => [n, ["a", "b"]])) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { type: "object", required: names(MAX_SCHEMA_NODES + 1) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { enum: names(MAX_SCHEMA_NODES + 1) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { const: Object.fromEntries(names(MAX_SCHEMA_NODES).map((n) => [n, 1])) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { const: "x".repeat(MAX_SCHEMA_NODES * 1_000) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { patternProperties: Object.fromEntries(names(MAX_SCHEMA_NODES + 1).map((n) => [`^${n}$`, true])) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { dependentSchemas: Object.fromEntries(names(MAX_SCHEMA_NODES + 1).map((n) => [n, true])) })).toEqual(tooLarge);
    expect(compileBodySchema(spec, { anyOf: Array.from({ length: MAX_SCHEMA_NODES + 1 }, () => true) })).toEqual(tooLarge);
    // Smaller ones still compile, and dependentRequired still works.
    const small = compileBodySchema(spec, { type: "object", dependentRequired: { card: ["billing"] }, enum: [{ card: 1, billing: 2 }, { other: 1 }] });
    // The schema 1, dependentRequired 1 + 1 name, the enum 1 + 5 + 3 (each value, key and member).
    expect(small).toMatchObject({ validate: expect.any(Function), nodes: 1 + 2 + 9 });
    expect("validate" in small && [small.validate({ card: 1, billing: 2 }), small.validate({ card: 1 })]).toEqual([true, false]);
  });

  it("gives each compile its own Ajv instance, and keeps no verdict for a media type the operation doesn't declare", () => {
    const spec = specWith({ type: "object", required: ["name"] });
    // Each validator holds its own instance: dropped from the cache, both can be garbage-collected.
    let before = ajvInstanceCount();
    compileBodySchema(spec, { type: "string", pattern: "^a" });
    compileBodySchema(spec, { type: "string", pattern: "^b" });
    expect(ajvInstanceCount() - before).toBe(2);

    expect(check(spec, { name: "x" })).toEqual({ state: "valid" });
    before = ajvInstanceCount();
    // More made-up media types than the cache has room for: none is kept, so the real validator stays.
    for (let i = 0; i < 200_001; i++) {
      const result = checkBody(spec, op, `application/x-junk-${i}+json`, "{}");
      if (i === 0) expect(result).toEqual({ state: "unchecked", reason: "the spec gives no schema for this body" });
    }
    expect(check(spec, {})).toMatchObject({ state: "invalid", problems: [{ path: "/name", message: "is required" }] });
    expect(ajvInstanceCount()).toBe(before);
  });
});

describe("parameters", () => {
  const operation = {
    parameters: [
      { name: "petId", in: "path", required: true, deprecated: false, schema: { types: ["integer"], constraints: [], properties: [] } },
      { name: "limit", in: "query", required: false, deprecated: false, schema: { types: ["integer"], constraints: [], properties: [] } },
      { name: "sort", in: "query", required: true, deprecated: false, schema: { types: ["string"], enum: ["asc", "desc"], constraints: [], properties: [] } },
      { name: "fresh", in: "query", required: false, deprecated: false, schema: { types: ["boolean"], constraints: [], properties: [] } },
      { name: "x-trace", in: "header", required: true, deprecated: false },
    ],
  } as Pick<Operation, "parameters">;

  it("checks required ones and the types and enums of those given", () => {
    expect(checkParameters(operation, { petId: "7" }, { sort: "asc", limit: "10", fresh: "true" })).toEqual([]);
    expect(checkParameters(operation, { petId: "seven" }, { limit: "1.5", sort: "up", fresh: "yes" })).toEqual([
      { in: "path", path: "petId", message: "must be an integer" },
      { in: "query", path: "limit", message: "must be an integer" },
      { in: "query", path: "sort", message: "must be one of asc, desc" },
      { in: "query", path: "fresh", message: "must be true or false" },
    ]);
    expect(checkParameters(operation, {}, {})).toEqual([
      { in: "path", path: "petId", message: "is required" },
      { in: "query", path: "sort", message: "is required" },
    ]);
  });
});
