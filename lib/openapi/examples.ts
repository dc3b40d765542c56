import { sample } from "openapi-sampler";
import { isObject, text } from "./normalize-schema";
import type { Json } from "./parse-text";
import type { Example } from "./types";

/** Per example: enough to show the shape, small enough to keep operation pages light. */
export const MAX_EXAMPLE_CHARS = 12_000;
/** Named examples shown per media type. */
const MAX_EXAMPLES = 3;
/** Sampler output is bounded by estimating the expanded tree first (wide × deep schemas explode). */
const MAX_SAMPLE_NODES = 2_000;

/** A value as display text: strings as they are, everything else as indented JSON. Cycles become "[circular]". */
export function exampleText(value: unknown): Pick<Example, "text" | "truncated"> {
  let out: string;
  if (typeof value === "string") out = value;
  else {
    const seen = new WeakSet<object>();
    out =
      JSON.stringify(
        value,
        (_key, v: unknown) => {
          if (typeof v === "object" && v !== null) {
            if (seen.has(v)) return "[circular]";
            seen.add(v);
          }
          return v;
        },
        2,
      ) ?? String(value);
  }
  return out.length > MAX_EXAMPLE_CHARS ? { text: `${out.slice(0, MAX_EXAMPLE_CHARS)}\n…`, truncated: true } : { text: out };
}

function canGenerate(contentType: string): "json" | "form" | undefined {
  const type = contentType.toLowerCase();
  if (type.includes("json") || type === "*/*") return "json";
  if (type.startsWith("application/x-www-form-urlencoded")) return "form";
  return undefined;
}

/** The spec's examples for a media type object, else one synthesised from its schema. */
export function mediaExamples(contentType: string, media: Json, direction: "request" | "response"): Example[] {
  if (media.example !== undefined) return [exampleText(media.example)];
  if (isObject(media.examples)) {
    const named = Object.entries(media.examples)
      .filter((entry): entry is [string, Json] => isObject(entry[1]) && entry[1].value !== undefined)
      .slice(0, MAX_EXAMPLES)
      .map(([name, ex]) => ({ name, ...(text(ex.summary, 300) ? { summary: text(ex.summary, 300) } : {}), ...exampleText(ex.value) }));
    if (named.length) return named;
  }
  const kind = canGenerate(contentType);
  if (!kind || !isObject(media.schema)) return [];
  const value = generateSample(media.schema, direction);
  if (value === undefined) return [];
  if (kind === "form" && isObject(value)) return [{ ...exampleText(toFormBody(value)), generated: true }];
  return [{ ...exampleText(value), generated: true }];
}

/** A parameter's or header's example: its own, else its schema's, else a sampled value. */
export function parameterExample(param: Json, schema: unknown): Example | undefined {
  if (param.example !== undefined) return exampleText(param.example);
  if (isObject(param.examples)) {
    const first = Object.values(param.examples).find((e) => isObject(e) && e.value !== undefined) as Json | undefined;
    if (first) return exampleText(first.value);
  }
  if (!isObject(schema)) return undefined;
  if (schema.example !== undefined) return exampleText(schema.example);
  if (Array.isArray(schema.examples) && schema.examples.length) return exampleText(schema.examples[0]);
  const value = generateSample(schema, "request");
  return value === undefined ? undefined : { ...exampleText(value), generated: true };
}

function generateSample(schema: Json, direction: "request" | "response"): unknown {
  const depth = [5, 4, 3, 2, 1].find((d) => estimateNodes(schema, d) <= MAX_SAMPLE_NODES);
  if (depth === undefined) return undefined;
  try {
    return sample(schema as never, {
      quiet: true,
      maxSampleDepth: depth,
      skipReadOnly: direction === "request",
      skipWriteOnly: direction === "response",
    });
  } catch {
    // The sampler gives up on some exotic schemas; the page then shows the schema without an example.
    return undefined;
  }
}

/** Roughly how many values the sampler would produce at this depth, stopping once over the cap. */
function estimateNodes(schema: Json, maxDepth: number): number {
  let count = 0;
  const stack = new Set<object>();
  const visit = (node: unknown, depth: number): void => {
    if (count > MAX_SAMPLE_NODES || !isObject(node) || stack.has(node)) return;
    count++;
    if (depth > maxDepth) return;
    stack.add(node);
    if (isObject(node.properties)) for (const child of Object.values(node.properties)) visit(child, depth + 1);
    if (node.items !== undefined) visit(node.items, depth + 1);
    if (isObject(node.additionalProperties)) {
      visit(node.additionalProperties, depth + 1);
      visit(node.additionalProperties, depth + 1);
    }
    if (Array.isArray(node.allOf)) for (const part of node.allOf) visit(part, depth);
    if (Array.isArray(node.oneOf)) visit(node.oneOf[0], depth);
    if (Array.isArray(node.anyOf)) visit(node.anyOf[0], depth);
    stack.delete(node);
  };
  visit(schema, 1);
  return count;
}

function toFormBody(value: Json): string {
  const params = new URLSearchParams();
  for (const [key, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(key, typeof item === "object" && item !== null ? JSON.stringify(item) : String(item));
  }
  return params.toString();
}
