import type { Operation, ParameterLocation } from "./types";

/** What a client-side "try it" form needs: plain JSON, safe to pass to a client component. */
export interface TryItOperation {
  slug: string;
  method: string;
  path: string;
  /** Base URLs, first is the default. */
  servers: string[];
  apiKeyRequired: boolean;
  /** A bearer token is sent instead (when no API key is): samples show `Authorization: Bearer`. */
  bearerRequired?: boolean;
  parameters: {
    name: string;
    in: ParameterLocation;
    required: boolean;
    description?: string;
    /** e.g. "integer", "string", "array"; undefined when the schema says nothing. */
    type?: string;
    enum?: string[];
    example?: string;
  }[];
  bodies: {
    contentType: string;
    required: boolean;
    /** The spec's own example, else one generated from the schema (`generated`). */
    example?: string;
    generated?: true;
    /** The example was cut to size (it won't parse): try-it doesn't prefill it. */
    truncated?: true;
    /** The spec gives a schema: /api/try checks JSON bodies against it before sending. */
    schema?: true;
  }[];
}

// Bounds: this goes into a signed-in page's island props, and a spec can have 5,000 parameters or
// 2,000 media types (each page stays under 1 MB, lib/openapi/budget.ts). Past them, the form offers
// the required ones first; the page's reference still lists everything.
const MAX_PARAMETERS = 100;
const MAX_BODIES = 5;
const MAX_DESCRIPTION_CHARS = 300;
const MAX_ENUM_VALUES = 100;
const MAX_VALUE_CHARS = 200;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Path parameters (all: the URL needs them), then required, then optional query ones, up to MAX_PARAMETERS. Try-it sends no headers or cookies. */
function formParameters(op: Operation) {
  const rank = (p: Operation["parameters"][number]) => (p.in === "path" ? 0 : p.required ? 1 : 2);
  const usable = op.parameters.filter((p) => p.in === "path" || p.in === "query");
  const path = usable.filter((p) => p.in === "path");
  const rest = usable.filter((p) => p.in !== "path").sort((a, b) => rank(a) - rank(b));
  return [...path, ...rest.slice(0, Math.max(0, MAX_PARAMETERS - path.length))];
}

export function toTryItOperation(op: Operation): TryItOperation {
  return {
    slug: op.slug,
    method: op.method.toUpperCase(),
    path: op.path,
    servers: op.servers.map((s) => s.url),
    apiKeyRequired: op.apiKeyRequired,
    ...(op.bearerRequired && !op.apiKeyRequired ? { bearerRequired: true } : {}),
    parameters: formParameters(op).map((p) => {
      const type = p.schema?.types.find((t) => t !== "null");
      const values = p.schema?.enum?.filter((v) => ["string", "number", "boolean"].includes(typeof v)).map(String);
      return {
        name: p.name,
        in: p.in,
        required: p.required,
        ...(p.description ? { description: clip(p.description, MAX_DESCRIPTION_CHARS) } : {}),
        ...(type ? { type } : {}),
        ...(values?.length ? { enum: values.slice(0, MAX_ENUM_VALUES).map((v) => clip(v, MAX_VALUE_CHARS)) } : {}),
        // A longer example wouldn't be a useful prefill: the field starts empty instead.
        ...(p.example && p.example.text.length <= MAX_VALUE_CHARS ? { example: p.example.text } : {}),
      };
    }),
    bodies: (op.requestBody?.content ?? []).slice(0, MAX_BODIES).map((m) => {
      const example = m.examples[0];
      return {
        contentType: m.contentType,
        required: op.requestBody?.required ?? false,
        ...(example
          ? { example: example.text, ...(example.generated ? { generated: true as const } : {}), ...(example.truncated ? { truncated: true as const } : {}) }
          : {}),
        ...(m.schema ? { schema: true as const } : {}),
      };
    }),
  };
}
