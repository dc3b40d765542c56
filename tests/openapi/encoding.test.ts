import { describe, expect, it } from "vitest";
import { SpecError, loadApiDocument } from "@/lib/openapi";
import { MAX_YAML_ALIASES, decodeSpecBytes, parseSpecText } from "@/lib/openapi/parse-text";

const JSON_SPEC = JSON.stringify(
  { openapi: "3.0.3", info: { title: "Encoded", version: "1" }, paths: { "/a": { get: { responses: { "200": { description: "ok" } } } } } },
  null,
  2,
);
const YAML_SPEC =
  'openapi: 3.0.3\ninfo:\n  title: "Encoded — ü"\n  version: "1"\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n';
const BOM = "\uFEFF";

function thrown(run: () => unknown): SpecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error("did not throw");
}

async function rejected(promise: Promise<unknown>): Promise<SpecError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

function utf16(text: string, endian: "le" | "be"): Buffer {
  const le = Buffer.from(`${BOM}${text}`, "utf16le");
  return endian === "le" ? le : le.swap16();
}

describe("a UTF-8 byte-order mark", () => {
  it("is dropped before parsing JSON and YAML (as text and as bytes)", async () => {
    for (const [file, text] of [
      ["api.json", JSON_SPEC],
      ["api.yaml", YAML_SPEC],
    ] as const) {
      expect((await loadApiDocument({ file, text: BOM + text })).title).toMatch(/^Encoded/);
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      expect(decodeSpecBytes(file, bytes)).toBe(text);
    }
  });

  it("leaves error positions as an editor shows them (JSON)", async () => {
    const error = await rejected(loadApiDocument({ file: "api.json", text: `${BOM}{\n  "openapi": "3.0.3",\n  "info": { "title": "T", },\n}` }));
    expect(error.location).toMatchObject({ line: 3, column: 27 });
    expect(error.message).toMatch(/^api\.json:3:27: JSON syntax error: /);
    // On the first line too: the mark is not a column.
    expect(thrown(() => parseSpecText("api.json", `${BOM}{,}`)).location).toMatchObject({ line: 1, column: 2 });
  });

  it("leaves error positions as an editor shows them (YAML syntax, and a field found later)", async () => {
    expect(thrown(() => parseSpecText("api.yaml", `${BOM}openapi: 3.0.3\nopenapi: 3.0.3\n`)).message).toMatch(
      /^api\.yaml:2:1: YAML syntax error: Map keys must be unique/,
    );
    const error = await rejected(loadApiDocument({ file: "api.yaml", text: `${BOM}openapi: 3.0\ninfo: { title: T, version: '1' }\npaths: {}\n` }));
    expect(error.message).toMatch(/^api\.yaml:1:1: openapi: must be a string/);
    const nested = await rejected(loadApiDocument({ file: "api.yaml", text: `${BOM}${YAML_SPEC.replace("get:", "gett:")}` }));
    expect(nested.location).toMatchObject({ line: 7, column: 5, path: 'paths["/a"].gett' });
  });
});

describe("UTF-16 and other encodings", () => {
  it.each(["le", "be"] as const)("UTF-16 (%s) with a byte-order mark is decoded and loads", async (endian) => {
    for (const [file, text] of [
      ["api.json", JSON_SPEC],
      ["api.yaml", YAML_SPEC],
    ] as const) {
      const decoded = decodeSpecBytes(file, utf16(text, endian));
      expect(decoded).toBe(text);
      expect((await loadApiDocument({ file, text: decoded })).title).toMatch(/^Encoded/);
    }
  });

  it("malformed UTF-16 is refused, saying so", () => {
    const odd = Buffer.concat([utf16(YAML_SPEC, "le"), Buffer.from([0x41])]);
    expect(thrown(() => decodeSpecBytes("api.yaml", odd)).message).toBe(
      "api.yaml: the file is UTF-16 (little-endian) but not well-formed (it has an odd number of bytes): save it as UTF-8",
    );
    const lonely = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("\u0041", "utf16le").swap16(), Buffer.from([0xd8, 0x00, 0x00, 0x41])]);
    expect(thrown(() => decodeSpecBytes("api.yaml", lonely)).message).toMatch(
      /UTF-16 \(big-endian\) but not well-formed \(it holds an unpaired surrogate\): save it as UTF-8/,
    );
  });

  it("UTF-16 without a byte-order mark, or read as UTF-8 by someone else, gets a clear message", () => {
    const bare = Buffer.from(YAML_SPEC, "utf16le");
    expect(thrown(() => decodeSpecBytes("api.yaml", bare)).message).toMatch(/looks like UTF-16 or UTF-32 without a byte-order mark .*save it as UTF-8/);
    // What readFileSync(…, "utf8") makes of a UTF-16 file with its mark.
    const misread = utf16(YAML_SPEC, "le").toString("utf8");
    expect(thrown(() => parseSpecText("api.yaml", misread)).message).toBe(
      "api.yaml: the file is UTF-16 (it starts with a UTF-16 byte-order mark) but was read as UTF-8: save it as UTF-8",
    );
  });

  it("UTF-32 is refused by name", () => {
    const bytes = Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]);
    expect(thrown(() => decodeSpecBytes("api.json", bytes)).message).toBe("api.json: the file is UTF-32, which is not supported: save it as UTF-8");
  });

  it("bytes that are not UTF-8 (Latin-1) are refused with the byte and its place", () => {
    const latin1 = Buffer.from(YAML_SPEC.replace("ü", "\u00fc"), "latin1");
    const error = thrown(() => decodeSpecBytes("api.yaml", latin1));
    expect(error.location).toMatchObject({ line: 3, column: 21 });
    expect(error.message).toBe("api.yaml:3:21: the file is not UTF-8: byte 0xFC is not valid UTF-8 (is it Latin-1 or Windows-1252?); save it as UTF-8");
    // A file cut in the middle of a character, after a genuine U+FFFD.
    const cut = Buffer.concat([Buffer.from("a: \uFFFD\nb: "), Buffer.from([0xe2, 0x82])]);
    expect(thrown(() => decodeSpecBytes("api.yaml", cut)).message).toMatch(/^api\.yaml:2:4: the file is not UTF-8: /);
  });
});

describe("YAML that starts with {", () => {
  it("flow-style YAML loads as YAML", async () => {
    const text = '{openapi: 3.0.3, info: {title: Flow, version: "1"}, paths: {/a: {get: {responses: {"200": {description: ok}}}}}}';
    for (const file of ["api.yaml", "api.yml", "API Gateway export"]) {
      const doc = await loadApiDocument({ file, text });
      expect(doc.title).toBe("Flow");
      expect(doc.operations.size).toBe(1);
    }
  });

  it("a .json file that is not JSON still gets the JSON error, at the right place", () => {
    const text = '{\n  "openapi": "3.0.3",\n  info: {}\n}';
    const error = thrown(() => parseSpecText("api.json", text));
    expect(error.location).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toMatch(/^api\.json:3:3: JSON syntax error: /);
  });

  it("a .yaml file broken as both gets the YAML error", () => {
    expect(thrown(() => parseSpecText("api.yaml", "{openapi: 3.0.3, info: {title: [}\n")).message).toMatch(/^api\.yaml:\d+:\d+: YAML syntax error: /);
  });
});

describe("YAML anchors and aliases", () => {
  const spec = (components: string) => `openapi: 3.0.3\ninfo: { title: Anchors, version: "1" }\npaths: {}\ncomponents:\n  schemas:\n${components}`;

  it("one anchor used 150 times is fine", async () => {
    const text = spec(
      `    Id: &id { type: string, format: uuid, description: An identifier }\n${Array.from({ length: 150 }, (_, i) => `    Id${i}: *id\n`).join("")}`,
    );
    const doc = await loadApiDocument({ file: "api.yaml", text });
    expect(doc.title).toBe("Anchors");
  });

  it("a few anchors each used a lot, nested, is fine", () => {
    const anchors = ["a", "b", "c", "d"].map((n) => `    ${n.toUpperCase()}: &${n} { type: object, properties: { x: { type: string } } }\n`).join("");
    const uses = Array.from({ length: 1_000 }, (_, i) => `    U${i}: { type: object, properties: { p: *a, q: *b, r: *c, s: *d } }\n`).join("");
    const parsed = parseSpecText("api.yaml", spec(anchors + uses));
    const schemas = (parsed.components as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas;
    expect(Object.keys(schemas)).toHaveLength(1_004);
    expect(schemas.U999?.properties.s).toBe(schemas.D);
  });

  it("a billion laughs is refused quickly, by its expanded size", () => {
    let text = 'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
    for (let i = 1; i < 10; i++)
      text += `lol${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(", ")}]\n`;
    const started = performance.now();
    expect(thrown(() => parseSpecText("api.yaml", text)).message).toMatch(
      /^api\.yaml: YAML aliases expand this file to more than 20 MB \(as JSON\).*billion laughs/,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a small anchor expanded a million times over is refused; more aliases than allowed too", () => {
    // 2,000 aliases of a 20 KB string: 40 MB expanded.
    const big = spec(`    Big: &big { description: "${"x".repeat(20_000)}" }\n${Array.from({ length: 2_000 }, (_, i) => `    B${i}: *big\n`).join("")}`);
    expect(thrown(() => parseSpecText("api.yaml", big)).message).toMatch(/YAML aliases expand this file to more than 20 MB/);
    const many = spec(`    A: &a { type: string }\n${Array.from({ length: MAX_YAML_ALIASES + 1 }, (_, i) => `    A${i}: *a\n`).join("")}`);
    expect(thrown(() => parseSpecText("api.yaml", many)).message).toBe(
      `api.yaml: the file uses ${MAX_YAML_ALIASES + 1} YAML aliases (*name); at most ${MAX_YAML_ALIASES} are allowed (use $ref to share definitions)`,
    );
  });

  it("an alias inside its own anchor is refused", () => {
    expect(() => parseSpecText("api.yaml", "a: &a [1, *a]\n")).toThrow(SpecError);
  });
});
