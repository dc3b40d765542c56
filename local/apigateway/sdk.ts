import { strToU8, zipSync } from "fflate";
import { badRequest } from "./errors";
import type { Operation } from "./openapi";

/** The SDK types GetSdk offers, with the parameters API Gateway requires for each. */
const SDK_TYPES: Record<string, string[]> = {
  javascript: [],
  java: ["serviceName", "javaPackageName"],
  android: ["groupId", "invokerPackage", "artifactId", "artifactVersion"],
  objectivec: ["classPrefix"],
  swift: ["classPrefix"],
  ruby: ["service.name"],
};

function methodName(op: Operation): string {
  const words = op.path.split(/[/{}+-]/).filter(Boolean);
  return op.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

function javascriptClient(apiName: string, invokeUrl: string, operations: Operation[]): string {
  const methods = operations
    .map((op) => {
      const path = op.path.replace(/\{([^}+]+)\+?\}/g, (_, p: string) => `\${encodeURIComponent(params.${p})}`);
      return `  /** ${op.method} ${op.path} */
  ${methodName(op)}(params = {}, body, query = {}) {
    return request("${op.method}", \`${path}\`, body, query);
  },`;
    })
    .join("\n");
  return `// Generated client for ${apiName}. Usage: apigClientFactory.newClient({ apiKey }).getPets()
export const invokeUrl = ${JSON.stringify(invokeUrl)};

export const apigClientFactory = {
  newClient({ apiKey, baseUrl = invokeUrl } = {}) {
    async function request(method, path, body, query) {
      const url = new URL(baseUrl.replace(/\\/$/, "") + path);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
      const response = await fetch(url, {
        method,
        headers: { "x-api-key": apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: Object.fromEntries(response.headers), data: text ? JSON.parse(text) : undefined };
    }
    return {
${methods}
    };
  },
};
`;
}

/** GetSdk: a zip with a generated client (JavaScript) or an operation manifest (other types). */
export function generateSdk(
  sdkType: string,
  parameters: Record<string, string>,
  api: { id: string; name: string; stage: string; invokeUrl: string },
  operations: Operation[],
): Uint8Array {
  const required = SDK_TYPES[sdkType];
  if (!required) throw badRequest(`Invalid SDK type: ${sdkType}. Valid types: ${Object.keys(SDK_TYPES).join(", ")}`);
  const missing = required.filter((name) => !parameters[name]);
  if (missing.length) throw badRequest(`Missing required SDK parameter(s) for ${sdkType}: ${missing.join(", ")}`);
  const folder = `${api.name.replace(/[^A-Za-z0-9]+/g, "-")}-${api.stage}-${sdkType}`;
  const manifest = {
    api: api.name,
    restApiId: api.id,
    stage: api.stage,
    invokeUrl: api.invokeUrl,
    sdkType,
    parameters,
    operations: operations.map((op) => ({ name: methodName(op), method: op.method, path: op.path, apiKeyRequired: op.apiKeyRequired })),
  };
  const files: Record<string, Uint8Array> = {
    [`${folder}/README.md`]: strToU8(`# ${api.name} (${api.stage}) — ${sdkType} SDK\n\nInvoke URL: ${api.invokeUrl}\n\nPass your API key in the \`x-api-key\` header.\n`),
    [`${folder}/operations.json`]: strToU8(JSON.stringify(manifest, null, 2)),
  };
  if (sdkType === "javascript") files[`${folder}/apigClient.js`] = strToU8(javascriptClient(api.name, api.invokeUrl, operations));
  return zipSync(files, { mtime: new Date("2020-01-01T00:00:00Z") });
}
