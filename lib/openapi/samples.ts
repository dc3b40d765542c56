import type { TryItOperation } from "./try-it";
import { literal, shellQuote, stringLiteral } from "./quote";

/** How a sample gets its key: from an environment variable (the default) or written in. */
export type SampleKey = { kind: "env" } | { kind: "literal"; value: string };

function exampleUrl(op: TryItOperation, baseUrl: string): string {
  const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const param = op.parameters.find((p) => p.in === "path" && p.name === name);
    // toWellFormed: a lone surrogate in an owner's example would make encodeURIComponent throw.
    return encodeURIComponent((param?.example?.replace(/^"|"$/g, "") ?? `{${name}}`).toWellFormed());
  });
  const query = op.parameters
    .filter((p) => p.in === "query" && p.required)
    .map(
      (p) => `${encodeURIComponent(p.name.toWellFormed())}=${encodeURIComponent((p.example?.replace(/^"|"$/g, "") ?? p.enum?.[0] ?? "value").toWellFormed())}`,
    )
    .join("&");
  return `${baseUrl.replace(/\/$/, "")}${path}${query ? `?${query}` : ""}`;
}

/** The request body: a JSON body as a value (an example string that isn't JSON is a JSON string), anything else as text. */
function requestBody(op: TryItOperation) {
  const body = op.bodies[0];
  if (body?.example === undefined || ["GET", "HEAD"].includes(op.method)) return undefined;
  const { contentType, example } = body;
  // Sent as UTF-8, where a lone surrogate can't go (Python's encode() would raise): U+FFFD, as fetch sends it.
  if (!contentType.includes("json")) return { contentType, text: example.toWellFormed() };
  try {
    return { contentType, text: example, json: { value: JSON.parse(example) as unknown } };
  } catch {
    return { contentType, text: JSON.stringify(example), json: { value: example as unknown } };
  }
}

/**
 * Copy-paste examples for one operation; the key comes from the environment unless one is given.
 * Every value from the spec goes through quote.ts: pasting a sample must not run anything else.
 */
export function buildSamples(op: TryItOperation, baseUrl: string, key: SampleKey = { kind: "env" }) {
  const url = exampleUrl(op, baseUrl);
  const body = requestBody(op);
  const keyValue = key.kind === "literal" ? key.value : undefined;
  const keyHeader = op.apiKeyRequired;
  // A bearer-token API (the portal's Developer API): the token always comes from the environment (a chosen API key is no token).
  const bearer = !keyHeader && op.bearerRequired === true;

  const curl = [
    // --url: a server URL starting with "-" stays a URL, not an option.
    `curl --request ${shellQuote(op.method)} --url ${shellQuote(url)}`,
    ...(keyHeader ? [`  -H ${keyValue === undefined ? '"x-api-key: $API_KEY"' : shellQuote(`x-api-key: ${keyValue}`)}`] : []),
    ...(bearer ? ['  -H "Authorization: Bearer $API_TOKEN"'] : []),
    // --data-raw: a body starting with @ is not a file to read and send.
    ...(body ? [`  -H ${shellQuote(`content-type: ${body.contentType}`)}`, `  --data-raw ${shellQuote(body.text)}`] : []),
  ].join(" \\\n");

  const keyLiteral = keyValue === undefined ? undefined : stringLiteral(keyValue);
  const headers = (envKey: string, envToken: string) => [
    ...(keyHeader ? [`"x-api-key": ${keyLiteral ?? envKey}`] : []),
    ...(bearer ? [`"Authorization": ${envToken}`] : []),
    ...(body ? [`"content-type": ${stringLiteral(body.contentType)}`] : []),
  ];

  const jsHeaders = headers("process.env.API_KEY", "`Bearer ${process.env.API_TOKEN}`");
  const javascript = [
    `const response = await fetch(${stringLiteral(url)}, {`,
    `  method: ${stringLiteral(op.method)},`,
    ...(jsHeaders.length ? [`  headers: { ${jsHeaders.join(", ")} },`] : []),
    ...(body ? [`  body: ${body.json ? `JSON.stringify(${literal(body.json.value, "javascript", "  ")})` : stringLiteral(body.text)},`] : []),
    `});`,
    `console.log(response.status, await response.json());`,
  ].join("\n");

  const pyHeaders = headers('os.environ["API_KEY"]', '"Bearer " + os.environ["API_TOKEN"]');
  const python = [
    ...((keyHeader && !keyLiteral) || bearer ? ["import os"] : []),
    "import requests",
    "",
    `response = requests.request(`,
    `    ${stringLiteral(op.method)},`,
    `    ${stringLiteral(url)},`,
    ...(pyHeaders.length ? [`    headers={${pyHeaders.join(", ")}},`] : []),
    ...(body ? [body.json ? `    json=${literal(body.json.value, "python", "    ")},` : `    data=${stringLiteral(body.text)}.encode(),`] : []),
    `)`,
    `print(response.status_code, response.json())`,
  ].join("\n");
  return { curl, javascript, python };
}
