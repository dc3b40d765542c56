import { parseDocument, visit } from "yaml";
import { SpecError } from "./errors";

/** Larger files are refused: a description this big is a mistake or an attack. */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;
/** More YAML aliases (`*name`) than this are refused: the yaml library resolves each one by scanning every anchor and alias before it (quadratic). */
export const MAX_YAML_ALIASES = 5_000;
/** What a YAML document may grow to once its aliases are expanded (as JSON): as big as the biggest file allowed, twice. */
export const MAX_EXPANDED_BYTES = 2 * MAX_SPEC_BYTES;

export type Json = Record<string, unknown>;

const NUL_PROBLEM = "the file holds NUL characters: it looks like UTF-16 or UTF-32 without a byte-order mark (or is not text); save it as UTF-8";
const MB = (bytes: number) => `${bytes / 1024 / 1024} MB`;

/**
 * A spec file's bytes as text: a UTF-8 byte-order mark dropped, UTF-16 (with its byte-order
 * mark) decoded; anything else that is not UTF-8 refused, saying so and where.
 */
export function decodeSpecBytes(file: string, bytes: Uint8Array): string {
  const [b0, b1, b2, b3] = bytes;
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    throw new SpecError(file, {}, "the file is UTF-32, which is not supported: save it as UTF-8");
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? "utf-16le" : "utf-16be";
    const name = b0 === 0xff ? "UTF-16 (little-endian)" : "UTF-16 (big-endian)";
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch (cause) {
      const why = bytes.length % 2 ? "it has an odd number of bytes" : "it holds an unpaired surrogate";
      throw new SpecError(file, {}, `the file is ${name} but not well-formed (${why}): save it as UTF-8`, { cause });
    }
  }
  if (bytes.subarray(0, 4096).includes(0)) throw new SpecError(file, {}, NUL_PROBLEM);
  const start = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch (cause) {
    // Everything before the first bad sequence decoded as is, so its length in the lossy text is exact.
    const lossy = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
    let index = lossy.indexOf("\uFFFD");
    let offset = Buffer.byteLength(lossy.slice(0, index));
    // A literal U+FFFD in the file (EF BF BD) is fine: look further.
    while (index >= 0 && body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd) {
      index = lossy.indexOf("\uFFFD", index + 1);
      offset = Buffer.byteLength(lossy.slice(0, index));
    }
    const { line, column } = lineAndColumn(lossy, index < 0 ? lossy.length : index);
    const byte = body[offset];
    const what = byte === undefined ? "it ends in the middle of a character" : `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not valid UTF-8`;
    throw new SpecError(file, { line, column }, `the file is not UTF-8: ${what} (is it Latin-1 or Windows-1252?); save it as UTF-8`, { cause });
  }
}

/**
 * The text as given, ready to parse: a byte-order mark dropped (positions then count from the
 * first real character, as editors do), and a UTF-16 file that was read as UTF-8 refused clearly.
 */
export function specText(file: string, text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = body.slice(0, 4096);
  if (head.includes("\0")) {
    const marked = /^\uFFFD\uFFFD/.test(body);
    throw new SpecError(
      file,
      {},
      marked ? "the file is UTF-16 (it starts with a UTF-16 byte-order mark) but was read as UTF-8: save it as UTF-8" : NUL_PROBLEM,
    );
  }
  return body;
}

/**
 * Parses JSON or YAML text into a plain object, with syntax errors pointing at line and column.
 * `fragment`: a file another spec `$ref`s, which need not be a whole OpenAPI document.
 */
export function parseSpecText(file: string, text: string, options: { fragment?: boolean } = {}): Json {
  if (Buffer.byteLength(text, "utf8") > MAX_SPEC_BYTES) {
    throw new SpecError(file, {}, `the file is larger than ${MB(MAX_SPEC_BYTES)}`);
  }
  const body = specText(file, text);
  const value = parseJsonOrYaml(file, body);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new SpecError(
      file,
      {},
      options.fragment ? "expected a mapping (key: value) at the top level" : "expected an OpenAPI or Swagger object at the top level",
    );
  }
  return value as Json;
}

/**
 * JSON is YAML, but JSON.parse is ~50x faster than a YAML parser on multi-megabyte specs: text
 * that starts with `{` is tried as JSON first. A .json file must be JSON (its errors are JSON
 * errors); anything else that isn't JSON is flow-style YAML (`{openapi: 3.1.0, …}`).
 */
function parseJsonOrYaml(file: string, text: string): unknown {
  if (!text.trimStart().startsWith("{")) return parseYaml(file, text);
  const json = parseJson(file, text);
  if (json.ok) return json.value;
  if (/\.json$/i.test(file)) throw json.error;
  try {
    return parseYaml(file, text);
  } catch (yamlError) {
    // Neither: a .yaml file gets the YAML error; a file of no known kind the JSON one it looked like.
    throw /\.ya?ml$/i.test(file) ? yamlError : json.error;
  }
}

function parseJson(file: string, text: string): { ok: true; value: unknown } | { ok: false; error: SpecError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    const problem = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "");
    return { ok: false, error: new SpecError(file, { line, column }, `JSON syntax error: ${problem}`, { cause: error }) };
  }
}

function parseYaml(file: string, text: string): unknown {
  // Duplicate keys are errors (uniqueKeys).
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const offset = error.pos[0];
    const { line, column } = lineAndColumn(text, offset);
    throw new SpecError(file, { line, column }, `YAML syntax error: ${error.message.split("\n")[0]}`, { cause: error });
  }
  let aliases = 0;
  visit(doc, {
    Alias() {
      aliases++;
    },
  });
  if (aliases > MAX_YAML_ALIASES) {
    throw new SpecError(file, {}, `the file uses ${aliases} YAML aliases (*name); at most ${MAX_YAML_ALIASES} are allowed (use $ref to share definitions)`);
  }
  let value: unknown;
  try {
    // Each alias becomes the same object as its anchor (nothing is copied here), so the yaml
    // library's alias-count heuristic (which refuses one anchor used 150 times) is off; the real
    // bound is the expanded size, checked below.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (cause) {
    throw new SpecError(file, {}, `YAML error: ${(cause as Error).message}`, { cause });
  }
  if (aliases) checkExpandedSize(file, value);
  return value;
}

/**
 * What the document would weigh as JSON with every alias written out — what validating,
 * rendering or downloading it costs. Shared objects are measured once (memoised), so a
 * "billion laughs" document is refused in time linear in its own size.
 */
function checkExpandedSize(file: string, root: unknown): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const tooBig = () =>
    new SpecError(
      file,
      {},
      `YAML aliases expand this file to more than ${MB(MAX_EXPANDED_BYTES)} (as JSON), which is what an alias-expansion ("billion laughs") attack looks like; share big definitions with $ref instead`,
    );
  const measure = (value: unknown): number => {
    if (value === null || typeof value !== "object") return typeof value === "string" ? value.length + 2 : String(value).length;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (open.has(value)) throw new SpecError(file, {}, "a YAML alias refers to the node that contains it (an endless document)");
    open.add(value);
    let size = 2;
    if (Array.isArray(value)) {
      for (const item of value) size += measure(item) + 1;
    } else if (value instanceof Map || value instanceof Set) {
      size += value.size;
    } else {
      for (const [key, item] of Object.entries(value)) size += key.length + 4 + measure(item);
    }
    if (size > MAX_EXPANDED_BYTES) throw tooBig();
    open.delete(value);
    sizes.set(value, size);
    return size;
  };
  try {
    measure(root);
  } catch (error) {
    if (error instanceof RangeError) throw new SpecError(file, {}, "the YAML is nested too deeply", { cause: error });
    throw error;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
