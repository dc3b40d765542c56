import { sample } from "openapi-sampler";
import swagger2openapi from "swagger2openapi";
import { isScalar, parseDocument, stringify as toYaml, type Document as YamlDocument } from "yaml";
import { badRequest } from "./errors";

type Json = Record<string, unknown>;
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

/** One method of a deployed API, compiled for the data plane. */
export interface Operation {
  method: string;
  path: string;
  matcher: RegExp;
  apiKeyRequired: boolean;
  status: number;
  example: unknown;
}

/**
 * Parses an imported definition (JSON or YAML; Swagger 2.0 is converted) into OpenAPI 3.
 * `info.version` is kept as written: OpenAPI makes it a string, but YAML reads `version: 1.0` as
 * the number 1 (and JSON's `"version": 1.0` alike, YAML being a superset of JSON), which would make
 * the API's version "1"; a plain scalar's source text is taken instead.
 */
export async function importDefinition(body: Buffer): Promise<Json> {
  let doc: unknown;
  let parsed: YamlDocument;
  try {
    parsed = parseDocument(body.toString("utf8")); // YAML is a superset of JSON
    if (parsed.errors.length) throw parsed.errors[0];
    doc = parsed.toJS();
  } catch {
    throw badRequest("Invalid OpenAPI input: the body is neither JSON nor YAML.");
  }
  if (!doc || typeof doc !== "object") throw badRequest("Invalid OpenAPI input: expected an object.");
  const definition = doc as Json;
  const version = parsed.getIn(["info", "version"], true);
  if (isScalar(version) && typeof version.value !== "string" && definition.info && typeof definition.info === "object") {
    const info = definition.info as Json;
    if (version.value === null) delete info.version;
    else info.version = version.source ?? String(version.value);
  }
  if (typeof definition.swagger === "string") {
    try {
      const converted = await swagger2openapi.convertObj(definition, { patch: true, warnOnly: true });
      return converted.openapi as Json;
    } catch (error) {
      throw badRequest(`Invalid Swagger input: ${(error as Error).message}`);
    }
  }
  if (typeof definition.openapi !== "string" || !definition.openapi.startsWith("3.")) {
    throw badRequest("Invalid OpenAPI input: expected 'openapi: 3.x' or 'swagger: 2.0'.");
  }
  if (!definition.info || typeof (definition.info as Json).title !== "string") {
    throw badRequest("Invalid OpenAPI input: info.title is required.");
  }
  if (definition.paths !== undefined && (typeof definition.paths !== "object" || definition.paths === null)) {
    throw badRequest("Invalid OpenAPI input: paths must be an object.");
  }
  return definition;
}

/** The definition's `info.version` (a string once imported), or undefined when it has none. */
export function definitionVersion(doc: Json): string | undefined {
  const version = (doc.info as Json | undefined)?.version;
  // Numbers too: definitions saved by the sandbox before versions were kept as written.
  return (typeof version === "string" && version !== "") || typeof version === "number" ? String(version) : undefined;
}

export function resolveRef(doc: Json, value: unknown): Json | undefined {
  let node = value as Json | undefined;
  for (let hops = 0; node && typeof node.$ref === "string" && hops < 20; hops++) {
    const ref = node.$ref as string;
    if (!ref.startsWith("#/")) return undefined;
    node = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((at, part) => (at as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc) as Json | undefined;
  }
  return node;
}

/** An API method needs a key when its security names an apiKey scheme (as API Gateway's import does). */
export function requiresApiKey(doc: Json, operation: Json): boolean {
  const security = (operation.security ?? doc.security) as Json[] | undefined;
  if (!security?.length) return false;
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  return security.some((requirement) =>
    Object.keys(requirement).some((name) => {
      const scheme = resolveRef(doc, schemes[name]);
      return scheme?.type === "apiKey";
    }),
  );
}

function exampleFor(doc: Json, operation: Json): { status: number; example: unknown } {
  const responses = (operation.responses ?? {}) as Json;
  const code = Object.keys(responses).find((c) => /^2\d\d$/.test(c)) ?? "200";
  const response = resolveRef(doc, responses[code]);
  const media = ((response?.content ?? {}) as Json)["application/json"] as Json | undefined;
  if (!media) return { status: Number(code), example: undefined };
  if (media.example !== undefined) return { status: Number(code), example: media.example };
  const firstExample = Object.values((media.examples ?? {}) as Json)[0];
  if (firstExample) return { status: Number(code), example: resolveRef(doc, firstExample)?.value };
  if (!media.schema) return { status: Number(code), example: undefined };
  return { status: Number(code), example: sample(media.schema as never, { skipWriteOnly: true, quiet: true, maxSampleDepth: 6 }, doc) };
}

function compilePath(path: string): RegExp {
  const pattern = path
    .split("/")
    .map((segment) => {
      if (/^\{[^}]+\+\}$/.test(segment)) return ".+"; // greedy {proxy+}
      return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
    })
    .join("/");
  return new RegExp(`^${pattern}/?$`);
}

/** Compiles a deployment's methods, literal paths before templated ones (as API Gateway prefers). */
export function compileOperations(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    const pathItem = item as Json;
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (!operation) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        matcher: compilePath(path),
        apiKeyRequired: requiresApiKey(doc, operation),
        ...exampleFor(doc, operation),
      });
    }
  }
  const templated = (op: Operation) => (op.path.includes("{") ? 1 : 0);
  return operations.sort((a, b) => templated(a) - templated(b) || b.path.length - a.path.length);
}

const AWS_EXTENSION = /^x-amazon-apigateway-/;
const AUTHORIZER_EXTENSION = /^x-amazon-apigateway-(authorizer|authtype)$/;

/** Drops the x-amazon-apigateway-* extensions that `keep` does not name. */
function stripAwsExtensions(node: unknown, keep: (name: string) => boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => stripAwsExtensions(n, keep));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !AWS_EXTENSION.test(k) || keep(k))
      .map(([k, v]) => [k, stripAwsExtensions(v, keep)]),
  );
}

/**
 * GetExport's `extensions` parameter (API reference): `integrations` or `apigateway` export the
 * API Gateway extensions (AWS's `apigateway` export also carries e.g. binary media types),
 * `authorizers` the x-amazon-apigateway-authorizer ones, `postman` Postman's — which the sandbox
 * accepts and, not knowing AWS's exact Postman output, ignores. Any combination, comma-separated.
 */
function keptExtensions(extensions: string[]): (name: string) => boolean {
  if (extensions.includes("apigateway") || extensions.includes("integrations")) return () => true;
  if (extensions.includes("authorizers")) return (name) => AUTHORIZER_EXTENSION.test(name);
  return () => false;
}

function rewriteRefs(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, from, to));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(from, to) : rewriteRefs(v, from, to)]));
}

/** The API Gateway extensions of a node that survived stripAwsExtensions, to carry into Swagger. */
const extensionsOf = (node: Json): Json => Object.fromEntries(Object.entries(node).filter(([k]) => AWS_EXTENSION.test(k)));

/** A Swagger 2.0 rendering of an OpenAPI 3 document: the parts API Gateway's export carries. */
function toSwagger2(doc: Json, invokeUrl: URL): Json {
  const components = (doc.components ?? {}) as Json;
  const paths: Json = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
    const out: Json = {};
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      const parameters = ((op.parameters ?? []) as Json[]).map((p) => {
        const param = resolveRef(doc, p) ?? p;
        const { schema, ...rest } = param;
        return { ...rest, ...((schema as Json | undefined) ?? { type: "string" }) };
      });
      const body = resolveRef(doc, op.requestBody);
      const bodySchema = ((body?.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema;
      if (bodySchema) parameters.push({ in: "body", name: "body", required: Boolean(body?.required), schema: bodySchema });
      const responses: Json = {};
      for (const [code, r] of Object.entries((op.responses ?? {}) as Json)) {
        const response = resolveRef(doc, r) ?? {};
        const schema = ((response.content as Json | undefined)?.["application/json"] as Json | undefined)?.schema;
        responses[code] = { description: response.description ?? "", ...(schema ? { schema } : {}) };
      }
      out[method] = {
        ...Object.fromEntries(Object.entries(op).filter(([k]) => ["operationId", "summary", "description", "tags", "security", "deprecated"].includes(k))),
        produces: ["application/json"],
        parameters,
        responses,
        ...extensionsOf(op),
      };
    }
    paths[path] = out;
  }
  const securitySchemes = (components.securitySchemes ?? {}) as Json;
  return rewriteRefs(
    {
      swagger: "2.0",
      info: doc.info,
      // AWS: {id}.execute-api.{region}.amazonaws.com, /{stage}, [https]. The sandbox serves the
      // stage at its own (plain http) invoke URL, so a Swagger UI can call what it exports.
      host: invokeUrl.host,
      basePath: invokeUrl.pathname,
      schemes: [invokeUrl.protocol.replace(/:$/, "")],
      paths,
      securityDefinitions: Object.fromEntries(
        Object.entries(securitySchemes).map(([name, s]) => [
          name,
          { type: (s as Json).type, name: (s as Json).name, in: (s as Json).in, ...extensionsOf(s as Json) },
        ]),
      ),
      definitions: components.schemas ?? {},
      ...extensionsOf(doc),
    },
    "#/components/schemas/",
    "#/definitions/",
  ) as Json;
}

/** GetExport: the deployed definition as API Gateway serves it, for the stage's invoke URL. */
export function exportDefinition(
  doc: Json,
  options: { exportType: "oas30" | "swagger"; serverUrl: string; invokeUrl: string; stage: string; extensions: string[]; yaml: boolean },
): string {
  const base = stripAwsExtensions(doc, keptExtensions(options.extensions)) as Json;
  const rendered =
    options.exportType === "swagger"
      ? toSwagger2(base, new URL(options.invokeUrl))
      : { ...base, servers: [{ url: options.serverUrl, variables: { basePath: { default: options.stage } } }] };
  return options.yaml ? toYaml(rendered) : JSON.stringify(rendered, null, 2);
}
