import { strToU8, zipSync } from "fflate";
import { badRequest } from "./errors";
import type { Operation } from "./openapi";

export interface SdkConfigurationProperty {
  name: string;
  friendlyName: string;
  description: string;
  required: boolean;
  defaultValue?: string;
}
export interface SdkTypeDescription {
  id: string;
  friendlyName: string;
  description: string;
  configurationProperties: SdkConfigurationProperty[];
}

const property = (name: string, friendlyName: string, description: string, required: boolean): SdkConfigurationProperty => ({
  name,
  friendlyName,
  description,
  required,
});

/**
 * The SDK types API Gateway generates (GetSdkTypes / GetSdkType) and their configuration
 * properties; GetSdk requires the `required` ones. The ids and required parameters are the API
 * reference's (GetSdk: classPrefix for objectivec and swift; groupId, invokerPackage, artifactId,
 * artifactVersion for android; serviceName, javaPackageName for java); the optional ones and the
 * friendly names are the console's fields in the developer guide ("Generate SDKs for a REST API").
 * AWS's exact description texts were not verified: the sandbox writes its own.
 */
export const SDK_TYPES: readonly SdkTypeDescription[] = [
  { id: "javascript", friendlyName: "JavaScript", description: "JavaScript SDK for browsers and Node.js", configurationProperties: [] },
  {
    id: "android",
    friendlyName: "Android",
    description: "Java SDK for Android",
    configurationProperties: [
      property("groupId", "Group ID", "The group ID of the generated project", true),
      property("invokerPackage", "Invoker package", "The package of the generated client", true),
      property("artifactId", "Artifact ID", "The artifact ID of the generated project", true),
      property("artifactVersion", "Artifact version", "The version of the generated project", true),
    ],
  },
  {
    id: "objectivec",
    friendlyName: "iOS (Objective-C)",
    description: "Objective-C SDK for iOS",
    configurationProperties: [property("classPrefix", "Prefix", "A prefix for the generated classes", true)],
  },
  {
    id: "swift",
    friendlyName: "iOS (Swift)",
    description: "Swift SDK for iOS",
    configurationProperties: [property("classPrefix", "Prefix", "A prefix for the generated classes", true)],
  },
  {
    id: "java",
    friendlyName: "Java",
    description: "Java SDK",
    configurationProperties: [
      property("serviceName", "Service Name", "The name of the SDK client class", true),
      property("javaPackageName", "Java Package Name", "The package name of the SDK", true),
      property("javaBuildSystem", "Java Build System", "maven or gradle", false),
      property("javaGroupId", "Java Group Id", "The group ID of the generated project", false),
      property("javaArtifactId", "Java Artifact Id", "The artifact ID of the generated project", false),
      property("javaArtifactVersion", "Java Artifact Version", "The version of the generated project", false),
    ],
  },
  {
    id: "ruby",
    friendlyName: "Ruby",
    description: "Ruby SDK",
    configurationProperties: [
      property("service.name", "Service Name", "The namespace of the generated gem", true),
      property("ruby.gem-name", "Ruby Gem Name", "The name of the generated gem", false),
      property("ruby.gem-version", "Ruby Gem Version", "The version of the generated gem", false),
    ],
  },
];

export const sdkType = (id: string): SdkTypeDescription | undefined => SDK_TYPES.find((t) => t.id === id);

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
  sdkTypeId: string,
  parameters: Record<string, string>,
  api: { id: string; name: string; stage: string; invokeUrl: string },
  operations: Operation[],
): Uint8Array {
  const type = sdkType(sdkTypeId);
  if (!type) throw badRequest(`Invalid SDK type: ${sdkTypeId}. Valid types: ${SDK_TYPES.map((t) => t.id).join(", ")}`);
  const missing = type.configurationProperties.filter((p) => p.required && !parameters[p.name]).map((p) => p.name);
  if (missing.length) throw badRequest(`Missing required SDK parameter(s) for ${type.id}: ${missing.join(", ")}`);
  const folder = `${api.name.replace(/[^A-Za-z0-9]+/g, "-")}-${api.stage}-${type.id}`;
  const manifest = {
    api: api.name,
    restApiId: api.id,
    stage: api.stage,
    invokeUrl: api.invokeUrl,
    sdkType: type.id,
    parameters,
    operations: operations.map((op) => ({ name: methodName(op), method: op.method, path: op.path, apiKeyRequired: op.apiKeyRequired })),
  };
  const files: Record<string, Uint8Array> = {
    [`${folder}/README.md`]: strToU8(
      `# ${api.name} (${api.stage}) — ${type.id} SDK\n\nInvoke URL: ${api.invokeUrl}\n\nPass your API key in the \`x-api-key\` header.\n`,
    ),
    [`${folder}/operations.json`]: strToU8(JSON.stringify(manifest, null, 2)),
  };
  if (type.id === "javascript") files[`${folder}/apigClient.js`] = strToU8(javascriptClient(api.name, api.invokeUrl, operations));
  return zipSync(files, { mtime: new Date("2020-01-01T00:00:00Z") });
}
