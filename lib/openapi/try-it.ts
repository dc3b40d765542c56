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
  bodies: { contentType: string; required: boolean; example?: string }[];
}

export function toTryItOperation(op: Operation): TryItOperation {
  return {
    slug: op.slug,
    method: op.method.toUpperCase(),
    path: op.path,
    servers: op.servers.map((s) => s.url),
    apiKeyRequired: op.apiKeyRequired,
    ...(op.bearerRequired && !op.apiKeyRequired ? { bearerRequired: true } : {}),
    parameters: op.parameters.map((p) => {
      const type = p.schema?.types.find((t) => t !== "null");
      const values = p.schema?.enum?.filter((v) => ["string", "number", "boolean"].includes(typeof v)).map(String);
      return {
        name: p.name,
        in: p.in,
        required: p.required,
        ...(p.description ? { description: p.description } : {}),
        ...(type ? { type } : {}),
        ...(values?.length ? { enum: values.slice(0, 200) } : {}),
        ...(p.example ? { example: p.example.text } : {}),
      };
    }),
    bodies: (op.requestBody?.content ?? []).map((m) => ({
      contentType: m.contentType,
      required: op.requestBody?.required ?? false,
      ...(m.examples[0] ? { example: m.examples[0].text } : {}),
    })),
  };
}
