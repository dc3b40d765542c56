import Ajv, { type ErrorObject, type Options, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import type { RegExpEngine } from "ajv/dist/types";
import addFormats from "ajv-formats";
import { RE2JS } from "re2js";
import { processCache } from "../cache/process";
import { isObject } from "../openapi/normalize-schema";
import type { Json } from "../openapi/parse-text";
import type { Operation } from "../openapi/types";
import { atPointer, followRefs, requestBodySchema, type RawSpec } from "./raw-spec";

/**
 * Checks a try-it request against the operation's spec before it is sent: the body against its
 * JSON Schema (Ajv: draft 2020-12 for OpenAPI 3.1, draft-07 for 3.0 after translating 3.0's
 * dialect), required path and query parameters, and their types and enums. Runs on the server;
 * nothing of the validator reaches the browser.
 *
 * Bounded for any spec: a schema is copied out of the spec (its `$ref`s become local definitions,
 * each compiled once: Ajv's inlining would grow exponentially with fan-out) and refused past
 * MAX_SCHEMA_NODES parts or MAX_DEPTH levels (the entries of `required`, `enum`, `const`,
 * `dependentRequired` and the schema maps count as parts too: Ajv's work grows with them); compiled
 * validators are kept per spec version, operation and media type, bounded by their total size, each
 * with its own Ajv instance so that a validator dropped from the cache is garbage-collected. A schema that can't be compiled, or is
 * too big, is "not checked" (said plainly), never a 500, and the request can still be sent.
 * `pattern`s run on RE2 (linear time), so a body can't make a spec's regex backtrack for minutes.
 */

/** One problem: where (a JSON pointer into the body, or the parameter's name) and what. */
export interface Problem {
  in: "body" | "path" | "query";
  /** Body: a JSON pointer ("" = the whole body, "/pets/0/name"). Parameters: the name. */
  path: string;
  message: string;
  /** Malformed JSON: where the parser stopped (1-based). */
  line?: number;
  column?: number;
}

export type BodyCheck = { state: "valid" } | { state: "invalid"; problems: Problem[] } | { state: "unchecked"; reason: string };

export const MAX_SCHEMA_NODES = 5_000;
export const MAX_DEPTH = 64;
export const MAX_PROBLEMS = 20;
/** The validators kept in memory, by their schemas' total parts (a "not checked" verdict counts 1). */
const MAX_KEPT_NODES = 200_000;
/** What a kept validator's own Ajv instance weighs beyond its schema's parts (a few kB), in parts. */
const AJV_WEIGHT = 4;

type Compiled = { validate: ValidateFunction; nodes: number } | { reason: string };
const validators = processCache<Compiled>("TryItValidators", MAX_KEPT_NODES);

/** A schema this check won't take on: the reason ends "…can't be checked before sending: <reason>". */
class Unchecked extends Error {}

/** Media types whose bodies are JSON (application/json, application/problem+json, …). */
export const isJsonMedia = (contentType: string) => /^[\w.+-]+\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType.trim()) || contentType.trim() === "*/*";

/** Checks `text` as the body of `operation` sent as `contentType`. */
export function checkBody(spec: RawSpec, operation: Pick<Operation, "path" | "method">, contentType: string, text: string): BodyCheck {
  if (!isJsonMedia(contentType)) return { state: "unchecked", reason: `only JSON bodies are checked, and this one is ${contentType}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: "invalid", problems: [jsonSyntaxProblem(text)] };
  }
  const key = `${spec.key}|${operation.method}|${operation.path}|${contentType}`;
  let compiled = validators.get(key);
  if (!compiled) {
    const schema = requestBodySchema(spec, operation.path, operation.method, contentType);
    compiled = compileBodySchema(spec, schema);
    // No schema (often a media type the client made up) is cheap to find again: kept, junk types would evict real validators.
    if (schema !== undefined) validators.set(key, compiled, "validate" in compiled ? compiled.nodes + AJV_WEIGHT : 1);
  }
  if (!("validate" in compiled)) return { state: "unchecked", reason: compiled.reason };
  if (compiled.validate(value)) return { state: "valid" };
  return { state: "invalid", problems: describe(compiled.validate.errors ?? []) };
}

/** Compiles one raw schema from the spec (for tests too); a reason when it won't be checked. */
export function compileBodySchema(spec: Pick<RawSpec, "doc" | "dialect">, schema: unknown): Compiled {
  if (schema === undefined) return { reason: "the spec gives no schema for this body" };
  try {
    const extractor = new Extractor(spec.doc, spec.dialect);
    const root = extractor.extract(schema);
    // A fresh instance per compile: an instance keeps everything it ever compiled in its scope
    // (removeSchema doesn't free it), and the validator holds its instance, so both go together.
    return { validate: newAjv(spec.dialect).compile(root), nodes: extractor.nodes };
  } catch (error) {
    if (error instanceof Unchecked) return { reason: error.message };
    // Ajv refused the schema (a keyword with a value it can't use): the spec's problem, not the request's.
    return { reason: `the schema can't be compiled (${String((error as Error).message).slice(0, 200)})` };
  }
}

// ——— Ajv ———

/** RE2 for `pattern` and `patternProperties`: linear time whatever the input. */
const re2: RegExpEngine = Object.assign(
  (pattern: string) => {
    // Ajv keeps one compiled pattern per toString(): it must name the pattern.
    const toString = () => `re2:${pattern}`;
    try {
      const re = RE2JS.compile(pattern);
      return { test: (s: string) => re.matcher(s).find(), toString };
    } catch {
      // Lookarounds and back-references (not in RE2): that one pattern isn't checked.
      return { test: () => true, toString };
    }
  },
  { code: "re2" },
);

const AJV_OPTIONS: Options = {
  allErrors: true,
  // The spec's keywords are copied through a list (Extractor) and formats we don't know are skipped, not errors.
  strict: false,
  logger: false,
  validateSchema: false,
  inlineRefs: false,
  addUsedSchema: false,
  code: { regExp: re2 },
};

let ajvInstances = 0;
/** Ajv instances made so far (tests check that each compile gets its own). */
export const ajvInstanceCount = () => ajvInstances;

function newAjv(dialect: RawSpec["dialect"]): Ajv {
  const ajv = dialect === "3.1" ? new Ajv2020(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  ajvInstances += 1;
  return ajv;
}

function describe(errors: ErrorObject[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const error of errors) {
    let path = error.instancePath;
    let message = error.message ?? "is not valid";
    const params = error.params as Record<string, unknown>;
    if (error.keyword === "required" && typeof params.missingProperty === "string") {
      path = `${path}/${escapePointer(params.missingProperty)}`;
      message = "is required";
    } else if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
      path = `${path}/${escapePointer(params.additionalProperty)}`;
      message = "is not allowed here (the schema has no such property)";
    } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
      const allowed = params.allowedValues.slice(0, 10).map((v) => JSON.stringify(v));
      message = `must be one of ${allowed.join(", ")}${params.allowedValues.length > 10 ? ", …" : ""}`;
    }
    const id = `${path}\n${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ in: "body", path, message });
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out;
}

const escapePointer = (name: string) => name.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Where malformed JSON breaks, with the line and column: V8's messages give a position only for
 * some errors ("Unexpected token…" has none), so the text is scanned for the first offence.
 */
export function jsonSyntaxProblem(text: string): Problem {
  const offset = jsonErrorOffset(text);
  const what = offset >= text.length ? (text.trim() ? "it ends too soon" : "it is empty") : `unexpected ${JSON.stringify(text.slice(offset, offset + 1))}`;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return { in: "body", path: "", message: `isn't valid JSON: ${what} (line ${line}, column ${column})`, line, column };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** The offset of the first character that makes `text` not JSON (its length if it ends too soon). Iterative: any depth. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const closers: string[] = [];
  let state: "value" | "firstValue" | "key" | "firstKey" | "after" = "value";
  const string = (): boolean => {
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return ((i = j + 1), true);
      if (c < 0x20) return ((i = j), false);
      if (c === 0x5c) {
        const escaped = text[j + 1] ?? "";
        if (escaped === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6)) : !'"\\/bfnrt'.includes(escaped) || !escaped) return ((i = j), false);
        j += escaped === "u" ? 5 : 1;
      }
    }
    return ((i = text.length), false);
  };
  const token = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
    if (i >= text.length) return text.length;
    const c = text[i];
    if (state === "value" || state === "firstValue") {
      if (c === "]" && state === "firstValue") {
        closers.pop();
        i++;
        state = "after";
      } else if (c === "{" || c === "[") {
        closers.push(c === "{" ? "}" : "]");
        i++;
        state = c === "{" ? "firstKey" : "firstValue";
      } else if (c === '"') {
        if (!string()) return i;
        state = "after";
      } else if (token(NUMBER) || token(LITERAL)) state = "after";
      else return i;
    } else if (state === "key" || state === "firstKey") {
      if (c === "}" && state === "firstKey") {
        closers.pop();
        i++;
        state = "after";
        continue;
      }
      if (c !== '"' || !string()) return i;
      while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
      if (text[i] !== ":") return i;
      i++;
      state = "value";
    } else {
      const closer = closers.at(-1);
      if (!closer) return i;
      if (c === closer) {
        closers.pop();
        i++;
      } else if (c === ",") {
        i++;
        state = closer === "}" ? "key" : "value";
      } else return i;
    }
  }
}

// ——— copying a schema out of the spec ———

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const NUMBER_KEYWORDS = [
  "multipleOf",
  "maximum",
  "minimum",
  "maxLength",
  "minLength",
  "maxItems",
  "minItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
];
const ONE_SCHEMA = [
  "additionalProperties",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "additionalItems",
];
const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];

/**
 * Copies the schema and every schema its `$ref`s reach into one self-contained schema: each
 * referenced schema once, under `$defs`, so recursion stays a reference. Only validation keywords
 * are copied (descriptions, examples, `x-` extensions and the like stay behind), with values of
 * the right kind; OpenAPI 3.0's dialect is translated (`nullable`, boolean `exclusiveMinimum`).
 * Properties marked readOnly aren't required in a request.
 */
class Extractor {
  nodes = 0;
  private readonly names = new Map<unknown, string>();
  private readonly defs: Record<string, unknown> = {};
  private readonly queue: [unknown, string][] = [];

  constructor(
    private readonly doc: Json,
    private readonly dialect: RawSpec["dialect"],
  ) {}

  extract(schema: unknown): boolean | Json {
    const root = this.schema(schema, 0) as boolean | Json;
    // Referenced schemas are copied here, not inside the walk: a long chain of references can't exhaust the stack.
    for (let next = this.queue.shift(); next; next = this.queue.shift()) this.defs[next[1]] = this.schema(next[0], 0);
    if (!Object.keys(this.defs).length) return root;
    return { ...(typeof root === "boolean" ? (root ? {} : { not: {} }) : root), $defs: this.defs };
  }

  private schema(node: unknown, depth: number): unknown {
    if (typeof node === "boolean") return node;
    // Not a schema at all: the spec validated, so this is somewhere a schema isn't required; accept anything.
    if (!isObject(node)) return {};
    this.count(1);
    if (depth > MAX_DEPTH) throw new Unchecked(`its schema is nested too deeply to check here (over ${MAX_DEPTH} levels)`);
    if (typeof node.$dynamicRef === "string" || typeof node.$recursiveRef === "string")
      throw new Unchecked("its schema uses $dynamicRef, which this check doesn't follow");
    if (typeof node.$ref === "string") {
      const ref = { $ref: this.ref(node.$ref) };
      // 3.0: a $ref's siblings are ignored. 3.1: they apply too.
      if (this.dialect === "3.0") return ref;
      const { $ref: _ref, ...siblings } = node;
      const rest = this.schema(siblings, depth);
      return isObject(rest) && Object.keys(rest).length ? { allOf: [ref, rest] } : ref;
    }
    const out: Json = {};
    const types = (Array.isArray(node.type) ? node.type : [node.type]).filter((t): t is string => typeof t === "string" && JSON_TYPES.has(t));
    if (types.length) out.type = types.length === 1 ? types[0] : [...new Set(types)];
    if (Array.isArray(node.enum)) {
      this.count(valueParts(node.enum, MAX_SCHEMA_NODES - this.nodes + 1));
      out.enum = node.enum;
    }
    if (node.const !== undefined) {
      this.count(valueParts(node.const, MAX_SCHEMA_NODES - this.nodes + 1));
      out.const = node.const;
    }
    for (const keyword of NUMBER_KEYWORDS) if (typeof node[keyword] === "number" && Number.isFinite(node[keyword])) out[keyword] = node[keyword];
    if (typeof node.pattern === "string") out.pattern = node.pattern;
    if (typeof node.format === "string") out.format = node.format;
    if (typeof node.uniqueItems === "boolean") out.uniqueItems = node.uniqueItems;
    for (const bound of ["exclusiveMinimum", "exclusiveMaximum"] as const) {
      const value = node[bound];
      if (typeof value === "number" && Number.isFinite(value)) out[bound] = value;
      else if (value === true) {
        // 3.0: `exclusiveMinimum: true` makes `minimum` exclusive.
        const limit = bound === "exclusiveMinimum" ? "minimum" : "maximum";
        if (typeof out[limit] === "number") {
          out[bound] = out[limit];
          delete out[limit];
        }
      }
    }
    for (const keyword of ONE_SCHEMA) if (node[keyword] !== undefined) out[keyword] = this.schema(node[keyword], depth + 1);
    if (node.items !== undefined) {
      // Tuple form (draft-07 arrays of schemas): 2020-12 calls it prefixItems.
      if (Array.isArray(node.items)) this.count(node.items.length);
      if (Array.isArray(node.items)) out[this.dialect === "3.1" ? "prefixItems" : "items"] = node.items.map((s) => this.schema(s, depth + 1));
      else out.items = this.schema(node.items, depth + 1);
    }
    for (const keyword of SCHEMA_MAPS) {
      const map = node[keyword];
      if (!isObject(map)) continue;
      // Each entry, even `true`: a map of a million booleans is a million checks.
      this.count(Object.keys(map).length);
      out[keyword] = Object.fromEntries(Object.entries(map).map(([name, s]) => [name, this.schema(s, depth + 1)]));
    }
    for (const keyword of SCHEMA_LISTS) {
      const list = node[keyword];
      if (Array.isArray(list)) this.count(list.length);
      if (Array.isArray(list) && list.length) out[keyword] = list.map((s) => this.schema(s, depth + 1));
    }
    if (isObject(node.dependentRequired)) {
      const dependent: Json = {};
      for (const [name, names] of Object.entries(node.dependentRequired)) {
        if (!Array.isArray(names)) continue;
        this.count(1 + names.length);
        dependent[name] = names.filter((n) => typeof n === "string");
      }
      out.dependentRequired = dependent;
    }
    if (Array.isArray(node.required)) {
      this.count(node.required.length);
      const properties = isObject(node.properties) ? node.properties : {};
      const required = node.required.filter((name): name is string => typeof name === "string" && !this.readOnly(properties[name]));
      if (required.length) out.required = required;
    }
    if (this.dialect === "3.0" && node.nullable === true) return this.nullable(out);
    return out;
  }

  /** Adds `parts` to the schema's size; past the bound, the schema won't be checked. */
  private count(parts: number): void {
    this.nodes += parts;
    if (this.nodes > MAX_SCHEMA_NODES) throw new Unchecked(`its schema is too large to check here (over ${MAX_SCHEMA_NODES.toLocaleString("en")} parts)`);
  }

  /** 3.0's `nullable: true`: null is allowed too. Without a type (e.g. next to allOf), as an alternative. */
  private nullable(out: Json): Json {
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (Array.isArray(out.type)) out.type = out.type.includes("null") ? out.type : [...out.type, "null"];
    else return { anyOf: [{ type: "null" }, out] };
    return out;
  }

  private readOnly(property: unknown): boolean {
    const target = followRefs(this.doc, property);
    return isObject(target) && target.readOnly === true;
  }

  /** The local name for a `$ref` into the spec, queuing the target to be copied once. */
  private ref(ref: string): string {
    if (!ref.startsWith("#")) throw new Unchecked(`its schema refers to ${ref.slice(0, 100)}, outside the spec`);
    const target = atPointer(this.doc, ref);
    if (target === undefined) throw new Unchecked(`its schema refers to ${ref.slice(0, 100)}, which isn't in the spec`);
    let name = this.names.get(target);
    if (!name) {
      name = `s${this.names.size}`;
      this.names.set(target, name);
      this.queue.push([target, name]);
    }
    return `#/$defs/${name}`;
  }
}

/**
 * The size of a JSON value (`enum`, `const`) in parts: one per value, plus one per 1,000 characters
 * of a string (Ajv writes string constants into its code). Counts no further than `limit`.
 */
function valueParts(value: unknown, limit: number): number {
  let parts = 0;
  const stack: unknown[] = [value];
  while (stack.length && parts <= limit) {
    const next = stack.pop();
    parts += 1;
    if (typeof next === "string") parts += Math.floor(next.length / 1000);
    // Pushes stop past the limit: whatever is left over counts enough to refuse.
    else if (Array.isArray(next)) for (let i = 0; i < next.length && stack.length <= limit; i++) stack.push(next[i]);
    else if (isObject(next)) {
      for (const name of Object.keys(next)) {
        if (stack.length > limit) break;
        stack.push(name, next[name]);
      }
    }
  }
  return parts;
}

// ——— parameters ———

/**
 * Required path and query parameters, and the types and enums of those given (the docs model has
 * them already: no compiling). Header and cookie parameters aren't sent by try-it.
 */
export function checkParameters(operation: Pick<Operation, "parameters">, pathParams: Record<string, string>, query: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const given = parameter.in === "path" ? pathParams : query;
    const value = Object.hasOwn(given, parameter.name) ? given[parameter.name] : undefined;
    const at = { in: parameter.in, path: parameter.name } as const;
    if (value === undefined || value === "") {
      if (parameter.required) problems.push({ ...at, message: "is required" });
      continue;
    }
    const schema = parameter.schema;
    if (!schema) continue;
    const types = schema.types.filter((t) => t !== "null");
    if (types.length === 1) {
      const type = types[0];
      if (type === "integer" && !/^[-+]?\d+$/.test(value.trim())) problems.push({ ...at, message: "must be an integer" });
      else if (type === "number" && (value.trim() === "" || !Number.isFinite(Number(value)))) problems.push({ ...at, message: "must be a number" });
      else if (type === "boolean" && value !== "true" && value !== "false") problems.push({ ...at, message: "must be true or false" });
    }
    const allowed = schema.enum?.filter((v) => ["string", "number", "boolean"].includes(typeof v)).map(String);
    if (allowed?.length && types[0] !== "array" && !allowed.includes(value))
      problems.push({ ...at, message: `must be one of ${allowed.slice(0, 10).join(", ")}${allowed.length > 10 ? ", …" : ""}` });
  }
  return problems;
}
