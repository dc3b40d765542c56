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
// servers, 2,000 media types, or long names and enums (each page stays under 1 MB,
// lib/openapi/budget.ts). Past them, the form offers the required ones first; the page's reference
// still lists everything. The path is kept whole: the request needs it.
const MAX_PARAMETERS = 100;
const MAX_BODIES = 5;
const MAX_SERVERS = 10;
/** Longer server URLs are left out (the page's reference shows them). */
const MAX_SERVER_URL_CHARS = 2_000;
const MAX_DESCRIPTION_CHARS = 300;
const MAX_ENUM_VALUES = 100;
const MAX_VALUE_CHARS = 200;
/** A parameter or media type named longer than this isn't offered: /api/try takes no longer a content type, and nobody types such a name. */
const MAX_NAME_CHARS = 200;
/** All the form's enum values together, in characters: past it, a parameter's field is a text box instead of a list. */
const MAX_ENUM_CHARS = 20_000;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Path parameters (all: the URL needs them), then required, then optional query ones, up to MAX_PARAMETERS. Try-it sends no headers or cookies. */
function formParameters(op: Operation) {
  const rank = (p: Operation["parameters"][number]) => (p.in === "path" ? 0 : p.required ? 1 : 2);
  const usable = op.parameters.filter((p) => (p.in === "path" || p.in === "query") && p.name.length <= MAX_NAME_CHARS);
  const path = usable.filter((p) => p.in === "path");
  const rest = usable.filter((p) => p.in !== "path").sort((a, b) => rank(a) - rank(b));
  return [...path, ...rest.slice(0, Math.max(0, MAX_PARAMETERS - path.length))];
}

/**
 * A parameter's enum for the form's list, within what is left of MAX_ENUM_CHARS; undefined (a text
 * box: /api/try still checks the value against the whole enum) when it has none, or it can't be
 * offered whole (too many values, too long a value: a list missing values, or a value cut short
 * that would be sent cut, is worse than a text box).
 */
function formEnum(values: unknown[] | undefined, budget: { chars: number }): string[] | undefined {
  const offered = values?.filter((v) => ["string", "number", "boolean"].includes(typeof v)).map(String);
  if (!offered?.length || offered.length > MAX_ENUM_VALUES || offered.some((v) => v.length > MAX_VALUE_CHARS)) return undefined;
  const chars = offered.reduce((sum, v) => sum + v.length, 0);
  if (chars > budget.chars) return undefined;
  budget.chars -= chars;
  return offered;
}

export function toTryItOperation(op: Operation): TryItOperation {
  const enumBudget = { chars: MAX_ENUM_CHARS };
  return {
    slug: op.slug,
    method: op.method.toUpperCase(),
    path: op.path,
    servers: op.servers
      .map((s) => s.url)
      .filter((url) => url.length <= MAX_SERVER_URL_CHARS)
      .slice(0, MAX_SERVERS),
    apiKeyRequired: op.apiKeyRequired,
    ...(op.bearerRequired && !op.apiKeyRequired ? { bearerRequired: true } : {}),
    parameters: formParameters(op).map((p) => {
      const type = p.schema?.types.find((t) => t !== "null");
      const values = formEnum(p.schema?.enum, enumBudget);
      const first = p.schema?.enum?.find((v) => ["string", "number", "boolean"].includes(typeof v));
      const firstText = first === undefined ? undefined : String(first);
      return {
        name: p.name,
        in: p.in,
        required: p.required,
        ...(p.description ? { description: clip(p.description, MAX_DESCRIPTION_CHARS) } : {}),
        ...(type ? { type } : {}),
        ...(values ? { enum: values } : {}),
        // A longer example wouldn't be a useful prefill: the field starts empty instead. An enum
        // that isn't listed still gives its first value (the samples and the prefill use it).
        ...(p.example && p.example.text.length <= MAX_VALUE_CHARS
          ? { example: p.example.text }
          : !values && firstText !== undefined && firstText.length <= MAX_VALUE_CHARS
            ? { example: firstText }
            : {}),
      };
    }),
    bodies: (op.requestBody?.content ?? [])
      .filter((m) => m.contentType.length <= MAX_NAME_CHARS)
      .slice(0, MAX_BODIES)
      .map((m) => {
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
