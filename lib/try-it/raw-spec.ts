import { convertObj } from "swagger2openapi";
import { processCache } from "../cache/process";
import { getSpecText } from "../catalog/specs";
import { CATALOG_DIR } from "../catalog/settings";
import type { CatalogApi } from "../catalog/types";
import { bundleSpec } from "../openapi/external-refs";
import { isObject } from "../openapi/normalize-schema";
import { parseSpecText, specText, type Json } from "../openapi/parse-text";

/**
 * An API's spec as JSON with its `$ref`s still in place (OpenAPI 3; Swagger 2.0 converted): what a
 * JSON Schema validator needs. The docs model (lib/openapi) keeps only the readable form of
 * schemas (constraints as words, references followed into a shared graph), so request validation
 * reads the spec again, once per spec version per process, only when someone sends a request.
 * Only specs that already loaded for the docs get here, so parsing can't fail in new ways.
 */
export interface RawSpec {
  /** Identifies this spec version (the validators' cache key starts with it). */
  key: string;
  /** "3.0" or "3.1": which JSON Schema dialect the schemas speak. */
  dialect: "3.0" | "3.1";
  doc: Json;
}

/** Parsed documents take several times their text's size in memory: bounded by total text size. */
const MAX_KEPT_CHARS = 24_000_000;
const rawSpecs = processCache<Promise<RawSpec>>("TryItRawSpecs", MAX_KEPT_CHARS);

export function specKey(api: CatalogApi): string {
  return api.spec.source === "file" ? `${api.slug}:file:${api.spec.file}` : `${api.slug}:export:${api.spec.sha}`;
}

export function getRawSpec(api: CatalogApi): Promise<RawSpec> {
  const key = specKey(api);
  const kept = rawSpecs.get(key);
  if (kept) return kept;
  const loading = getSpecText(api).then(async (text) => {
    const spec = await readRawSpec(key, api, text);
    rawSpecs.set(key, loading, text.length);
    return spec;
  });
  loading.catch(() => rawSpecs.delete(key));
  return rawSpecs.set(key, loading, 1);
}

async function readRawSpec(key: string, api: CatalogApi, given: string): Promise<RawSpec> {
  const file = api.spec.file;
  const text = specText(file, given);
  const root = parseSpecText(file, text);
  const bundled = api.spec.source === "file" ? await bundleSpec({ display: file, text, doc: root }, { dir: CATALOG_DIR, path: file }, new WeakMap()) : root;
  if (typeof bundled.swagger === "string") {
    const converted = await convertObj(bundled, { patch: true, warnOnly: true, text });
    return { key, dialect: "3.0", doc: converted.openapi as Json };
  }
  return { key, dialect: String(bundled.openapi).startsWith("3.1") ? "3.1" : "3.0", doc: bundled };
}

/** The value at a local JSON pointer (`#/components/schemas/Pet`), or undefined. */
export function atPointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = doc;
  const pointer = ref.slice(1);
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) return undefined;
  for (const raw of pointer.slice(1).split("/")) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) node = /^\d+$/.test(part) ? node[Number(part)] : undefined;
    else if (isObject(node) && Object.hasOwn(node, part)) node = node[part];
    else return undefined;
  }
  return node;
}

/** Follows a chain of `$ref`s (a request body or parameter may be one), at most a few links. */
export function followRefs(doc: Json, node: unknown): unknown {
  for (let i = 0; i < 10 && isObject(node) && typeof node.$ref === "string"; i++) node = atPointer(doc, node.$ref);
  return node;
}

/** The raw schema of an operation's request body for one media type, if the spec gives one. */
export function requestBodySchema(spec: RawSpec, path: string, method: string, contentType: string): unknown {
  const paths = spec.doc.paths;
  const item = isObject(paths) ? followRefs(spec.doc, paths[path]) : undefined;
  const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
  const body = isObject(operation) ? followRefs(spec.doc, operation.requestBody) : undefined;
  const content = isObject(body) && isObject(body.content) ? body.content : undefined;
  const media = content && Object.hasOwn(content, contentType) ? content[contentType] : undefined;
  return isObject(media) ? media.schema : undefined;
}
