import path from "node:path";
import { stringify as toYaml } from "yaml";
import { isObject } from "./normalize-schema";
import { parseSpecText } from "./parse-text";
import type { SpecSource } from "./types";

export type SpecFormat = "json" | "yaml";

export interface DownloadableSpec {
  body: string;
  contentType: string;
  /** e.g. "pets.json": for Content-Disposition. */
  filename: string;
}

// API Gateway's own extensions describe the backend (integration URIs, Lambda ARNs, IAM roles):
// nothing a consumer needs, and not something to publish.
const PRIVATE_EXTENSION = /^x-amazon-apigateway-/i;

function withoutPrivateExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPrivateExtensions);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (!PRIVATE_EXTENSION.test(key)) out[key] = withoutPrivateExtensions(value);
  return out;
}

/** The owner's spec as a download, in either format, as written (Swagger stays Swagger) minus x-amazon-apigateway-*. */
export function toDownloadableSpec(source: SpecSource, format: SpecFormat): DownloadableSpec {
  const spec = withoutPrivateExtensions(parseSpecText(source.file, source.text));
  const base = path.basename(source.file).replace(/\.(ya?ml|json)$/i, "") || "openapi";
  return format === "json"
    ? { body: `${JSON.stringify(spec, null, 2)}\n`, contentType: "application/json; charset=utf-8", filename: `${base}.json` }
    : { body: toYaml(spec, { lineWidth: 0, aliasDuplicateObjects: false }), contentType: "application/yaml; charset=utf-8", filename: `${base}.yaml` };
}
