import { createHash } from "node:crypto";
import { METHODS, requiresApiKey, resolveRef } from "./openapi";
import type { RestApi } from "./state";

type Json = Record<string, unknown>;

/** An API Gateway Resource: one path of the API, with its methods (GetResources / GetResource). */
export interface ResourceNode {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  /** HTTP method (upper case, `ANY` for x-amazon-apigateway-any-method) → its OpenAPI operation. */
  methods: Map<string, Json>;
  /** Parameters shared by the path's operations. */
  pathParameters: unknown[];
}

/** The root resource's id, as GetRestApi reports it in `rootResourceId` (control-plane.ts restApiToWire). */
export const rootResourceId = (apiId: string) => `${apiId.slice(0, 6)}root`;

/** Stable ids (AWS's look like `024ace`): the same path of the same API always gets the same one. */
const resourceId = (apiId: string, path: string) => {
  const digest = createHash("sha256").update(`${apiId}:${path}`).digest();
  return [...digest.subarray(0, 6)].map((byte) => "abcdefghijklmnopqrstuvwxyz0123456789"[byte % 36]).join("");
};

/**
 * The resource tree API Gateway builds when it imports a definition: a resource per path segment
 * (`/pets/{petId}` gives `/pets` and `/pets/{petId}`), under the root `/`, sorted by path.
 */
export function resourceTree(api: RestApi): ResourceNode[] {
  const nodes = new Map<string, ResourceNode>();
  const root: ResourceNode = { id: rootResourceId(api.id), path: "/", methods: new Map(), pathParameters: [] };
  nodes.set("/", root);
  const ensure = (path: string): ResourceNode => {
    const existing = nodes.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf("/");
    const parent = ensure(cut === 0 ? "/" : path.slice(0, cut));
    const node: ResourceNode = {
      id: resourceId(api.id, path),
      parentId: parent.id,
      pathPart: path.slice(cut + 1),
      path,
      methods: new Map(),
      pathParameters: [],
    };
    nodes.set(path, node);
    return node;
  };
  for (const [rawPath, item] of Object.entries((api.spec.paths ?? {}) as Json)) {
    const path = `/${rawPath.split("/").filter(Boolean).join("/")}`;
    const node = ensure(path);
    const pathItem = (item ?? {}) as Json;
    node.pathParameters = (pathItem.parameters as unknown[] | undefined) ?? [];
    for (const method of METHODS) {
      const operation = pathItem[method] as Json | undefined;
      if (operation) node.methods.set(method.toUpperCase(), operation);
    }
    const any = pathItem["x-amazon-apigateway-any-method"] as Json | undefined;
    if (any) node.methods.set("ANY", any);
  }
  return [...nodes.values()].sort((a, b) => a.path.localeCompare(b.path));
}

const schemaName = (schema: unknown): string | undefined => {
  const ref = (schema as Json | undefined)?.$ref;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
};

/** Models named by $ref per media type (API Gateway names a Model after the schema it imports). */
function models(content: unknown): Record<string, string> | undefined {
  const entries = Object.entries((content ?? {}) as Json).flatMap(([mediaType, media]) => {
    const name = schemaName((media as Json | undefined)?.schema);
    return name ? [[mediaType, name] as const] : [];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function authorization(doc: Json, operation: Json): { authorizationType: string } {
  const schemes = ((doc.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const requirements = (operation.security ?? doc.security ?? []) as Json[];
  for (const name of requirements.flatMap((r) => Object.keys(r))) {
    const scheme = resolveRef(doc, schemes[name]);
    const authType = String(scheme?.["x-amazon-apigateway-authtype"] ?? "").toLowerCase();
    if (authType === "cognito_user_pools") return { authorizationType: "COGNITO_USER_POOLS" };
    if (authType === "awssigv4") return { authorizationType: "AWS_IAM" };
    if (scheme?.["x-amazon-apigateway-authorizer"]) return { authorizationType: "CUSTOM" };
  }
  return { authorizationType: "NONE" };
}

function integrationToWire(resource: ResourceNode, extension: Json): Json {
  const type = String(extension.type ?? "").toUpperCase();
  const responses = Object.entries((extension.responses ?? {}) as Json).map(([pattern, r]) => {
    const response = (r ?? {}) as Json;
    const statusCode = String(response.statusCode ?? "200");
    return [
      statusCode,
      {
        statusCode,
        ...(pattern !== "default" ? { selectionPattern: pattern } : {}),
        ...(response.responseParameters ? { responseParameters: response.responseParameters } : {}),
        ...(response.responseTemplates ? { responseTemplates: response.responseTemplates } : {}),
      },
    ] as const;
  });
  return {
    type,
    ...(extension.httpMethod ? { httpMethod: String(extension.httpMethod).toUpperCase() } : {}),
    ...(extension.uri ? { uri: extension.uri } : {}),
    ...(type !== "MOCK" ? { connectionType: String(extension.connectionType ?? "INTERNET").toUpperCase() } : {}),
    ...(extension.requestParameters ? { requestParameters: extension.requestParameters } : {}),
    ...(extension.requestTemplates ? { requestTemplates: extension.requestTemplates } : {}),
    passthroughBehavior: String(extension.passthroughBehavior ?? "when_no_match").toUpperCase(),
    timeoutInMillis: extension.timeoutInMillis ?? 29_000,
    cacheNamespace: resource.id,
    cacheKeyParameters: extension.cacheKeyParameters ?? [],
    ...(responses.length ? { integrationResponses: Object.fromEntries(responses) } : {}),
  };
}

/** A Method as GetMethod (and GetResources with embed=methods) returns it, from its OpenAPI operation. */
export function methodToWire(api: RestApi, resource: ResourceNode, httpMethod: string, operation: Json): Json {
  const doc = api.spec;
  const parameters = [...resource.pathParameters, ...((operation.parameters ?? []) as unknown[])]
    .map((p) => resolveRef(doc, p))
    .filter((p): p is Json => !!p && ["path", "query", "header"].includes(String(p.in)));
  const requestParameters = Object.fromEntries(
    parameters.map((p) => [`method.request.${p.in === "query" ? "querystring" : p.in}.${String(p.name)}`, p.in === "path" || p.required === true]),
  );
  const requestModels = models(resolveRef(doc, operation.requestBody)?.content);
  const methodResponses = Object.entries((operation.responses ?? {}) as Json)
    .filter(([code]) => /^\d{3}$/.test(code))
    .map(([statusCode, r]) => {
      const response = resolveRef(doc, r) ?? {};
      const headers = Object.keys((response.headers ?? {}) as Json);
      const responseModels = models(response.content);
      return [
        statusCode,
        {
          statusCode,
          ...(headers.length ? { responseParameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) } : {}),
          ...(responseModels ? { responseModels } : {}),
        },
      ] as const;
    });
  const integration = operation["x-amazon-apigateway-integration"] as Json | undefined;
  return {
    httpMethod,
    ...authorization(doc, operation),
    apiKeyRequired: requiresApiKey(doc, operation),
    ...(typeof operation.operationId === "string" ? { operationName: operation.operationId } : {}),
    ...(Object.keys(requestParameters).length ? { requestParameters } : {}),
    ...(requestModels ? { requestModels } : {}),
    ...(methodResponses.length ? { methodResponses: Object.fromEntries(methodResponses) } : {}),
    ...(integration ? { methodIntegration: integrationToWire(resource, integration) } : {}),
  };
}

/**
 * A Resource on the wire. Without `embed=methods` AWS lists each method as an empty object
 * (`"resourceMethods": {"GET": {}}`, as its AWS CLI example and recorded responses show);
 * with it, the whole Method. A resource without methods has no `resourceMethods`.
 */
export function resourceToWire(api: RestApi, resource: ResourceNode, embedMethods: boolean): Json {
  const methods = [...resource.methods].map(
    ([httpMethod, operation]) => [httpMethod, embedMethods ? methodToWire(api, resource, httpMethod, operation) : {}] as const,
  );
  return {
    id: resource.id,
    ...(resource.parentId ? { parentId: resource.parentId } : {}),
    ...(resource.pathPart !== undefined ? { pathPart: resource.pathPart } : {}),
    path: resource.path,
    ...(methods.length ? { resourceMethods: Object.fromEntries(methods) } : {}),
  };
}
