import type { TryItOperation } from "@/lib/openapi/try-it";

/** How a sample gets its key: from an environment variable (the default) or written in. */
export type SampleKey = { kind: "env" } | { kind: "literal"; value: string };


function exampleUrl(op: TryItOperation, baseUrl: string): string {
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const param = op.parameters.find((p) => p.in === "path" && p.name === name);
    return encodeURIComponent(param?.example?.replace(/^"|"$/g, "") ?? `{${name}}`);
  });
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.example?.replace(/^"|"$/g, "") ?? p.enum?.[0] ?? "value")}`)
    .join("&");
  return `${baseUrl.replace(/\/$/, "")}${path}${query ? `?${query}` : ""}`;
}

/** Copy-paste examples for one operation; the key comes from the environment unless one is given. */
export function buildSamples(op: TryItOperation, baseUrl: string, key: SampleKey = { kind: "env" }) {
  const literal = key.kind === "literal" ? JSON.stringify(key.value) : undefined;
  const url = exampleUrl(op, baseUrl);
  const body = op.bodies[0];
  const hasBody = body?.example !== undefined && !["GET", "HEAD"].includes(op.method);
  const keyHeader = op.apiKeyRequired;
  const curl = [
    `curl -X ${op.method} "${url}"`,
    ...(keyHeader ? [`  -H "x-api-key: ${key.kind === "literal" ? key.value : "$API_KEY"}"`] : []),
    ...(hasBody ? [`  -H "content-type: ${body.contentType}"`, `  --data '${body.example!.replace(/'/g, "'\\''")}'`] : []),
  ].join(" \\\n");
  const jsHeaders = [...(keyHeader ? [`"x-api-key": ${literal ?? "process.env.API_KEY"}`] : []), ...(hasBody ? [`"content-type": ${JSON.stringify(body.contentType)}`] : [])];
  const javascript = [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    `  method: ${JSON.stringify(op.method)},`,
    ...(jsHeaders.length ? [`  headers: { ${jsHeaders.join(", ")} },`] : []),
    ...(hasBody ? [`  body: JSON.stringify(${body.example!.replace(/\n/g, "\n  ")}),`] : []),
    `});`,
    `console.log(response.status, await response.json());`,
  ].join("\n");
  const python = [
    ...(literal ? [] : ["import os"]),
    "import requests",
    "",
    `response = requests.request(`,
    `    ${JSON.stringify(op.method)},`,
    `    ${JSON.stringify(url)},`,
    ...(keyHeader ? [`    headers={"x-api-key": ${literal ?? 'os.environ["API_KEY"]'}},`] : []),
    ...(hasBody && body.contentType.includes("json") ? [`    json=${body.example!.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None").replace(/\n/g, "\n    ")},`] : []),
    `)`,
    `print(response.status_code, response.json())`,
  ].join("\n");
  return { curl, javascript, python };
}
