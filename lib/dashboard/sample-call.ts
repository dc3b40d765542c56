import type { Operation, Parameter } from "../openapi/types";

/** A request a developer can paste to make their first call. */
export interface SampleCall {
  method: string;
  url: string;
}

/** The parameter's own example (not one generated from its schema), as plain text. */
function exampleOf(param: Parameter | undefined): string | undefined {
  if (param?.example && !param.example.generated) return param.example.text.replace(/^"|"$/g, "");
  const first = param?.schema?.enum?.[0];
  return typeof first === "string" ? first : undefined;
}

/** The example, URL-encoded, or a {placeholder} to fill in. */
const valueOf = (param: Parameter | undefined, name: string) => {
  const example = exampleOf(param);
  return example === undefined ? `{${name}}` : encodeURIComponent(example.toWellFormed());
};

/**
 * A call that reaches a real operation: the stage's root has none, so API Gateway would answer 403
 * Missing Authentication Token whatever the key. Prefers a GET with no path parameters that takes
 * the key (so it shows up in usage), required query parameters filled with their example or a
 * {placeholder}; otherwise the first operation, with {placeholders} in its path.
 */
export function sampleCall(invokeUrl: string, operations: Iterable<Operation>): SampleCall {
  const all = [...operations].filter((op) => op.kind === "operation");
  const simpleGet = (op: Operation) => op.method === "get" && !op.parameters.some((p) => p.in === "path");
  const op = all.find((o) => simpleGet(o) && o.apiKeyRequired) ?? all.find(simpleGet) ?? all[0];
  const base = invokeUrl.replace(/\/$/, "");
  if (!op) return { method: "GET", url: base };
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) =>
    valueOf(
      op.parameters.find((p) => p.in === "path" && p.name === name),
      name,
    ),
  );
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${encodeURIComponent(p.name.toWellFormed())}=${valueOf(p, p.name)}`)
    .join("&");
  return { method: op.method.toUpperCase(), url: `${base}${path}${query ? `?${query}` : ""}` };
}
