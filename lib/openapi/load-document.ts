import SwaggerParser from "@apidevtools/swagger-parser";
import validateSchema from "@apidevtools/swagger-parser/lib/validators/schema.js";
import validateSpec from "@apidevtools/swagger-parser/lib/validators/spec.js";
import { convertObj } from "swagger2openapi";
import { SpecError, findPosition, formatPath, pointerSegments, type SpecLocation } from "./errors";
import { mediaExamples, parameterExample } from "./examples";
import { SchemaNormalizer, UnresolvedRefError, isObject, text } from "./normalize-schema";
import { securitySchemeLabel } from "./labels";
import { bundleSpec, type SpecFiles } from "./external-refs";
import { parseSpecText, specText, type Json } from "./parse-text";
import { expandedNodeCount } from "./ref-budget";
import { SlugRegistry, humanize } from "./slugs";
import {
  HTTP_METHODS,
  type ApiDocument,
  type Header,
  type MediaType,
  type Operation,
  type Parameter,
  type ParameterLocation,
  type RequestBody,
  type Response,
  type SecurityRequirement,
  type SecurityScheme,
  type Server,
  type SpecSource,
  type Tag,
} from "./types";

/**
 * A load gives up after this long (a hostile spec must not pin a CPU): dereferencing is told the
 * time left, and each later step checks it. Synchronous work can't be interrupted, so no step may
 * grow faster than the file: see MAX_EXPANDED_NODES.
 */
export const LOAD_TIME_LIMIT_MS = 20_000;
/**
 * swagger-parser's `validate` first copies every non-circular `$ref` in place and then checks the
 * resulting tree, so its cost is the size of that tree, which grows exponentially with nested
 * references (10 properties each pointing at the next of 7 schemas: a 3 KB file, 26 million
 * nodes, 23 s). Real specs stay far below (Twilio's 1.9 MB API: 15 thousand). Past this many
 * nodes (about a second of its work), the file is checked as written instead and dereferenced
 * with shared objects: linear in the file, same rules, errors pointing where the owner wrote them.
 */
export const MAX_EXPANDED_NODES = 1_000_000;
export interface LoadOptions {
  /** Where the spec lives in catalog/, so it may `$ref` other files there (and only there). */
  files?: SpecFiles;
  /** Default LOAD_TIME_LIMIT_MS. */
  timeLimitMs?: number;
}

const SUPPORTED = /^(2\.0|3\.0\.[0-4]|3\.1\.[0-2])$/;
const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];

/**
 * Parses (JSON or YAML), validates, converts Swagger 2.0 to OpenAPI 3, dereferences (circular-safe)
 * and builds the render-ready model. Throws `SpecError` naming the file and where it is broken.
 * With `options.files` (a spec in catalog/), `$ref`s may name other files inside that folder, each
 * checked before it is read; without, a `$ref` to another file is refused.
 */
export async function loadApiDocument(given: SpecSource, options: LoadOptions = {}): Promise<ApiDocument> {
  const { file } = given;
  const { timeLimitMs = LOAD_TIME_LIMIT_MS } = options;
  const started = Date.now();
  const timeLeft = () => {
    const left = timeLimitMs - (Date.now() - started);
    if (left <= 0) throw new SpecError(file, {}, tooSlow(timeLimitMs));
    return left;
  };
  // A byte-order mark is dropped once, here, so every position below counts as editors do.
  const source = { file, text: specText(file, given.text) };
  const names = new WeakMap<object, string>();
  const root = parseSpecText(file, source.text);
  const version = declaredVersion(file, source.text, root);
  const raw = await bundleSpec({ display: file, text: source.text, doc: root }, options.files, names);
  // Small enough with its $refs copied in: swagger-parser's own validate, as always. Else the linear route.
  const inlined = expandedNodeCount(raw, MAX_EXPANDED_NODES) <= MAX_EXPANDED_NODES;
  let api: Json;
  try {
    if (version === "2.0") {
      // Validate the file the owner wrote, so errors point into it, then convert what passed.
      await validate(structuredClone(raw), parserOptions(names, false, timeLeft()), inlined);
      timeLeft();
      const converted = await convertObj(raw, { patch: true, warnOnly: true, text: source.text });
      api = (await new SwaggerParser().dereference(converted.openapi as never, parserOptions(names, false, timeLeft()))) as unknown as Json;
    } else {
      api = await validate(raw, parserOptions(names, version.startsWith("3.1"), timeLeft()), inlined);
    }
    timeLeft();
    nameComponents(api, names);
    const document = buildDocument(file, version, api, names);
    timeLeft();
    return document;
  } catch (error) {
    // swagger-parser's own timer (the time left, given to dereference) ran out.
    if ((error as Error | undefined)?.name === "TimeoutError") throw new SpecError(file, {}, tooSlow(timeLimitMs), { cause: error });
    throw toSpecError(source, error);
  }
}

/**
 * Schema and spec checks, then the dereferenced document. `inlined`: swagger-parser's validate
 * (which checks the tree with references copied in). Otherwise the same checks on the file as
 * written (the OpenAPI and Swagger schemas accept a Reference Object wherever one may stand), and
 * a dereference that shares each target: both linear in the file.
 */
async function validate(raw: Json, options: SwaggerParser.Options, inlined: boolean): Promise<Json> {
  if (inlined) return (await new SwaggerParser().validate(raw as never, options)) as unknown as Json;
  validateSchema(raw);
  const api = (await new SwaggerParser().dereference(raw as never, options)) as unknown as Json;
  validateSpec(api);
  return api;
}

function declaredVersion(file: string, text: string, raw: Json): string {
  const key = raw.swagger !== undefined ? "swagger" : "openapi";
  const value = raw[key];
  if (value === undefined) throw new SpecError(file, { path: "(root)" }, 'expected an "openapi: 3.x" or "swagger: 2.0" field');
  // Positions cost a second parse: only compute them for the error.
  const where = (): SpecLocation => ({ path: key, ...findPosition(text, [key]) });
  if (typeof value !== "string") throw new SpecError(file, where(), `must be a string such as "3.1.0" (quote it in YAML), got ${JSON.stringify(value)}`);
  if (!SUPPORTED.test(value)) throw new SpecError(file, where(), `version ${value} is not supported (use 2.0, 3.0.0–3.0.4 or 3.1.0–3.1.2)`);
  return value;
}

function parserOptions(names: WeakMap<object, string>, openapi31: boolean, timeoutMs: number): SwaggerParser.Options {
  return {
    // Never read files or fetch URLs named by an untrusted spec.
    resolve: { external: false },
    timeoutMs,
    dereference: {
      circular: true,
      // 3.1 lets a $ref carry its own description/summary.
      ...(openapi31 ? { preservedProperties: ["description", "summary"] } : {}),
      onDereference(path: string, value: unknown, parent?: unknown, parentPropName?: string) {
        const placed = parent && parentPropName !== undefined ? (parent as Json)[parentPropName] : value;
        const name = componentName(path);
        if (name && isObject(placed) && !names.has(placed)) names.set(placed, name);
      },
    },
    validate: { schema: true, spec: true },
  };
}

function componentName(ref: string): string | undefined {
  const match = /^#\/(?:components\/schemas|definitions)\/([^/]+)$/.exec(ref);
  return match?.[1] ? match[1].replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
}

function nameComponents(api: Json, names: WeakMap<object, string>): void {
  const schemas = isObject(api.components) && isObject(api.components.schemas) ? api.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) if (isObject(schema) && !names.has(schema)) names.set(schema, name);
}

// ——— the model ———

interface Context {
  api: Json;
  normalizer: SchemaNormalizer;
  schemes: Record<string, SecurityScheme>;
  slugs: SlugRegistry;
}

function buildDocument(file: string, version: string, api: Json, names: WeakMap<object, string>): ApiDocument {
  const info = isObject(api.info) ? api.info : {};
  const ctx: Context = {
    api,
    normalizer: new SchemaNormalizer(names),
    schemes: securitySchemes(api),
    slugs: new SlugRegistry(),
  };
  const docServers = servers(api.servers);
  const operations = new Map<string, Operation>();
  // null collects untagged operations.
  const byTag = new Map<string | null, Operation[]>();

  for (const [path, item] of Object.entries(isObject(api.paths) ? api.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      if (!isObject(item[method])) continue;
      const op = buildOperation(ctx, "operation", method, path, item, docServers);
      operations.set(op.slug, op);
      for (const tag of op.tags.length ? op.tags : [null]) {
        const list = byTag.get(tag) ?? [];
        list.push(op);
        byTag.set(tag, list);
      }
    }
  }
  const webhooks: Operation[] = [];
  for (const [name, item] of Object.entries(isObject(api.webhooks) ? api.webhooks : {})) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      if (!isObject(item[method])) continue;
      const op = buildOperation(ctx, "webhook", method, name, item, docServers);
      operations.set(op.slug, op);
      webhooks.push(op);
    }
  }

  // Declared tags first (in the spec's order, with their descriptions), then tags only used by operations.
  const declared = new Map<string, string | undefined>();
  for (const tag of Array.isArray(api.tags) ? api.tags : []) {
    if (isObject(tag) && typeof tag.name === "string") declared.set(tag.name, text(tag.description));
  }
  const tagSlugs = new SlugRegistry();
  if (webhooks.length) tagSlugs.take("webhooks", "webhooks");
  const order = [...declared.keys(), ...[...byTag.keys()].filter((t): t is string => typeof t === "string" && !declared.has(t))];
  const tags: Tag[] = [];
  const slugOfTag = new Map<string, string>();
  for (const name of order) {
    const ops = byTag.get(name);
    if (!ops) continue;
    const slug = tagSlugs.take(name, "tag");
    slugOfTag.set(name, slug);
    tags.push({ slug, name, ...(declared.get(name) ? { description: declared.get(name) } : {}), operations: [] });
  }
  const untagged = byTag.get(null);
  let untaggedSlug = "";
  if (untagged) {
    const name = tags.length ? "Other" : "Operations";
    untaggedSlug = tagSlugs.take(name, "other");
    tags.push({ slug: untaggedSlug, name, operations: [] });
  }
  for (const op of operations.values()) {
    if (op.kind === "webhook") {
      op.tagSlug = "webhooks";
      continue;
    }
    op.tagSlug = op.tags.length ? (slugOfTag.get(op.tags[0] as string) ?? untaggedSlug) : untaggedSlug;
  }
  for (const tag of tags) {
    const ops = tag.slug === untaggedSlug ? (untagged ?? []) : (byTag.get(tag.name) ?? []);
    tag.operations = ops.map(summarize);
  }
  if (webhooks.length)
    tags.push({ slug: "webhooks", name: "Webhooks", description: "Requests this API sends to your endpoints.", operations: webhooks.map(summarize) });

  const description = text(info.description);
  return {
    file,
    title: text(info.title, 200) ?? file,
    version: typeof info.version === "string" ? info.version : String(info.version ?? ""),
    ...(description ? { description } : {}),
    openapiVersion: version,
    servers: docServers,
    tags,
    operations,
    webhooks,
    securitySchemes: ctx.schemes,
  };
}

function summarize(op: Operation) {
  const { slug, kind, method, path, title, summary, deprecated, tagSlug } = op;
  return { slug, kind, method, path, title, ...(summary ? { summary } : {}), deprecated, tagSlug };
}

function buildOperation(ctx: Context, kind: Operation["kind"], method: Operation["method"], path: string, item: Json, docServers: Server[]): Operation {
  const raw = item[method] as Json;
  const operationId = typeof raw.operationId === "string" && raw.operationId.trim() ? raw.operationId.trim() : undefined;
  const summary = text(raw.summary, 300);
  const slug = operationId
    ? ctx.slugs.take(operationId, "operation")
    : ctx.slugs.take(kind === "webhook" ? `webhook ${path} ${method}` : `${method} ${path}`, "operation");
  const description = text(raw.description) ?? text(item.description);
  const security = securityOf(raw.security ?? ctx.api.security, ctx.schemes);
  const externalDocs = isObject(raw.externalDocs) && typeof raw.externalDocs.url === "string" ? raw.externalDocs : undefined;
  const requestBody = requestBodyOf(ctx, raw.requestBody);
  return {
    slug,
    kind,
    method,
    path,
    title: summary ?? (operationId ? humanize(operationId) : `${method.toUpperCase()} ${path}`),
    ...(summary ? { summary } : {}),
    deprecated: raw.deprecated === true,
    tagSlug: "",
    ...(operationId ? { operationId } : {}),
    ...(description ? { description } : {}),
    tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : [],
    parameters: parametersOf(ctx, item.parameters, raw.parameters),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(ctx, raw.responses),
    security,
    apiKeyRequired: security.some((req) => req.some(({ type }) => type === "apiKey")),
    bearerRequired: security.some((req) => req.some(({ scheme, type }) => type === "http" && ctx.schemes[scheme]?.scheme?.toLowerCase() === "bearer")),
    servers: Array.isArray(raw.servers) ? servers(raw.servers) : Array.isArray(item.servers) ? servers(item.servers) : docServers,
    ...(externalDocs
      ? { externalDocs: { url: String(externalDocs.url), ...(text(externalDocs.description) ? { description: text(externalDocs.description) } : {}) } }
      : {}),
  };
}

/** Path-level parameters apply unless the operation redefines the same name and location. */
function parametersOf(ctx: Context, pathLevel: unknown, own: unknown): Parameter[] {
  const merged = new Map<string, Json>();
  for (const list of [pathLevel, own]) {
    for (const p of Array.isArray(list) ? list : []) {
      if (isObject(p) && typeof p.name === "string" && LOCATIONS.includes(p.in as ParameterLocation)) merged.set(`${p.in}:${p.name}`, p);
    }
  }
  return [...merged.values()].map((p) => {
    const rawSchema = p.schema ?? firstMediaSchema(p.content);
    const schema = ctx.normalizer.normalize(rawSchema);
    const description = text(p.description);
    const example = parameterExample(p, rawSchema);
    return {
      name: p.name as string,
      in: p.in as ParameterLocation,
      required: p.in === "path" || p.required === true,
      deprecated: p.deprecated === true,
      ...(description ? { description } : {}),
      ...(schema ? { schema } : {}),
      ...(example ? { example } : {}),
    };
  });
}

function firstMediaSchema(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return isObject(first) ? first.schema : undefined;
}

function contentOf(ctx: Context, content: unknown, direction: "request" | "response"): MediaType[] {
  if (!isObject(content)) return [];
  return Object.entries(content)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([contentType, media]) => {
      const schema = ctx.normalizer.normalize(media.schema);
      return { contentType, ...(schema ? { schema } : {}), examples: mediaExamples(contentType, media, direction) };
    });
}

function requestBodyOf(ctx: Context, raw: unknown): RequestBody | undefined {
  if (!isObject(raw)) return undefined;
  const description = text(raw.description);
  return { ...(description ? { description } : {}), required: raw.required === true, content: contentOf(ctx, raw.content, "request") };
}

function responsesOf(ctx: Context, raw: unknown): Response[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw)
    .filter((entry): entry is [string, Json] => isObject(entry[1]) && !entry[0].startsWith("x-"))
    .map(([status, response]) => {
      const description = text(response.description);
      return {
        status,
        ...(description ? { description } : {}),
        headers: headersOf(ctx, response.headers),
        content: contentOf(ctx, response.content, "response"),
      };
    });
}

function headersOf(ctx: Context, raw: unknown): Header[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([name, h]) => {
      const rawSchema = h.schema ?? firstMediaSchema(h.content);
      const schema = ctx.normalizer.normalize(rawSchema);
      const description = text(h.description);
      const example = parameterExample(h, rawSchema);
      return {
        name,
        required: h.required === true,
        deprecated: h.deprecated === true,
        ...(description ? { description } : {}),
        ...(schema ? { schema } : {}),
        ...(example && !example.generated ? { example } : {}),
      };
    });
}

function securityOf(raw: unknown, schemes: Record<string, SecurityScheme>): SecurityRequirement[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((req) =>
    Object.entries(req).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [],
      ...(schemes[scheme] ? { type: schemes[scheme].type } : {}),
      label: securitySchemeLabel(schemes[scheme], scheme),
    })),
  );
}

function securitySchemes(api: Json): Record<string, SecurityScheme> {
  const raw = isObject(api.components) && isObject(api.components.securitySchemes) ? api.components.securitySchemes : {};
  const out: Record<string, SecurityScheme> = {};
  for (const [key, s] of Object.entries(raw)) {
    if (!isObject(s) || typeof s.type !== "string") continue;
    const scheme: SecurityScheme = { key, type: s.type };
    const description = text(s.description);
    if (description) scheme.description = description;
    for (const field of ["name", "in", "scheme", "bearerFormat", "openIdConnectUrl"] as const) {
      if (typeof s[field] === "string") scheme[field] = s[field];
    }
    if (isObject(s.flows)) {
      scheme.flows = Object.entries(s.flows)
        .filter((entry): entry is [string, Json] => isObject(entry[1]))
        .map(([flow, f]) => ({
          flow,
          ...(typeof f.authorizationUrl === "string" ? { authorizationUrl: f.authorizationUrl } : {}),
          ...(typeof f.tokenUrl === "string" ? { tokenUrl: f.tokenUrl } : {}),
          scopes: isObject(f.scopes) ? Object.keys(f.scopes) : [],
        }));
    }
    out[key] = scheme;
  }
  return out;
}

function servers(raw: unknown): Server[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((s): s is Json => isObject(s) && typeof s.url === "string")
    .map((s) => {
      const variables = isObject(s.variables) ? s.variables : {};
      const url = (s.url as string).replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const variable = variables[name];
        return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
      });
      const description = text(s.description, 300);
      return { url, ...(description ? { description } : {}) };
    });
}

// ——— errors ———

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function tooSlow(limitMs: number): string {
  return `loading took longer than ${limitMs / 1000} s and was stopped: make the spec smaller, or its $refs less deeply nested`;
}

/** Turns what the parser, validator or converter threw into a SpecError with a location. */
function toSpecError(source: SpecSource, error: unknown): SpecError {
  const { file, text: body } = source;
  if (error instanceof SpecError) return error;
  const err = error as Error & { details?: unknown; targetRef?: unknown; code?: unknown };
  const root = reparse(body, file);
  const at = (segments: string[], extra: SpecLocation = {}): SpecLocation => ({ path: formatPath(segments, root), ...extra, ...findPosition(body, segments) });

  if (error instanceof UnresolvedRefError) {
    const segments = findRef(root, error.ref);
    return new SpecError(file, segments ? at(segments, { pointer: error.ref }) : { pointer: error.ref }, error.message, { cause: error });
  }
  if (err.name === "MissingPointerError" || err.name === "InvalidPointerError" || err.code === "EMISSINGPOINTER" || err.code === "EINVALIDPOINTER") {
    const ref = typeof err.targetRef === "string" ? err.targetRef : /"([^"]+)"/.exec(err.message)?.[1];
    const segments = ref ? findRef(root, ref) : undefined;
    const problem = ref ? `$ref "${ref}" cannot be resolved: nothing in this file is at that pointer` : err.message;
    return new SpecError(file, { ...(segments ? at(segments) : {}), ...(ref ? { pointer: ref } : {}) }, problem, { cause: error });
  }
  if (Array.isArray(err.details) && err.details.length) {
    const { segments, problem } = describeAjvErrors(err.details as AjvError[]);
    return new SpecError(file, at(segments), problem, { cause: error });
  }
  const message = err.message ?? String(error);
  // swagger-parser's Swagger 2.0 checks: "Validation failed. /paths/{id}/get has …"
  const specPath = /Validation failed\. (\/paths\/[^ ]+?)(?: |$)/.exec(message)?.[1];
  if (specPath) {
    const [, pathKey, method] = /^\/paths(\/.*)\/([a-z]+)$/.exec(specPath) ?? [];
    const segments = pathKey && method ? ["paths", pathKey, method] : ["paths"];
    return new SpecError(file, at(segments), message.replace(/^Validation failed\. /, ""), { cause: error });
  }
  return new SpecError(file, {}, message.replace(/^Validation failed\. /, ""), { cause: error });
}

/** The most specific of Ajv's errors (oneOf noise and "missing $ref" alternatives dropped). */
function describeAjvErrors(details: AjvError[]): { segments: string[]; problem: string } {
  const useful = details.filter(
    (d) => !["oneOf", "anyOf", "if", "not", "$ref"].includes(d.keyword) && !(d.keyword === "required" && d.params?.missingProperty === "$ref"),
  );
  const pool = useful.length ? useful : details;
  const depth = (d: AjvError) => pointerSegments(d.instancePath).length;
  // On a tie, a misspelt field usually explains the rest ("responsez" → "responses" missing).
  const rank = (d: AjvError) => ["additionalProperties", "enum", "type"].indexOf(d.keyword) + 1 || 9;
  const best = pool.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && rank(b) < rank(a)) ? b : a));
  const segments = pointerSegments(best.instancePath);
  if (best.keyword === "enum") {
    const allowed = new Set(
      pool
        .filter((d) => d.keyword === "enum" && d.instancePath === best.instancePath)
        .flatMap((d) => (Array.isArray(d.params?.allowedValues) ? d.params.allowedValues : [])),
    );
    return { segments, problem: `must be one of ${[...allowed].map((v) => JSON.stringify(v)).join(", ")}` };
  }
  if (best.keyword === "additionalProperties" && typeof best.params?.additionalProperty === "string") {
    return { segments: [...segments, best.params.additionalProperty], problem: "is not allowed here" };
  }
  if (best.keyword === "required" && typeof best.params?.missingProperty === "string") {
    return { segments, problem: `the required field "${best.params.missingProperty}" is missing` };
  }
  return { segments, problem: best.message ?? `fails the ${best.keyword} rule` };
}

/** The file as written (the parser mutated the copy it worked on). */
function reparse(body: string, file: string): unknown {
  try {
    return parseSpecText(file, body);
  } catch {
    return undefined;
  }
}

/** Where a `$ref` with this value first appears in the document. */
function findRef(root: unknown, ref: string): string[] | undefined {
  const stack: { node: unknown; path: string[] }[] = [{ node: root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop() as { node: unknown; path: string[] };
    if (Array.isArray(node)) for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: [...path, String(i)] });
    else if (isObject(node)) {
      if (node.$ref === ref) return [...path, "$ref"];
      for (const [key, child] of Object.entries(node).reverse()) stack.push({ node: child, path: [...path, key] });
    }
  }
  return undefined;
}
