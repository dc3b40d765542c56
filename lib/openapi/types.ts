/**
 * The portal's render-ready model of an API description. Raw OpenAPI/Swagger shapes stay inside
 * lib/openapi/; components and pages only see these types.
 *
 * Schemas form a shared graph: a component schema used in ten places is one `Schema` object, and a
 * recursive schema (a tree `Node` with `children: Node[]`) points back at itself. That keeps big
 * specs small in memory, but it means an `ApiDocument` is not JSON-serialisable: cache it in
 * process (see index.ts), and hand client components `toTryItOperation()` instead.
 */

export interface SpecSource {
  /** Shown in errors, e.g. "catalog/apis/pets.yaml". */
  file: string;
  text: string;
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export const HTTP_METHODS: readonly HttpMethod[] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export interface ApiDocument {
  /** The catalog file it came from, as given to loadApiDocument. */
  file: string;
  title: string;
  version: string;
  description?: string;
  /** The version the file declares: "2.0" for Swagger (converted to OpenAPI 3 for the model), else "3.0.x" / "3.1.x". */
  openapiVersion: string;
  servers: Server[];
  /** Tags that have operations, in the spec's order; untagged operations are grouped last. */
  tags: Tag[];
  /** Every operation and webhook by slug. */
  operations: ReadonlyMap<string, Operation>;
  /** OpenAPI 3.1 webhooks (also in `operations`, with kind "webhook"). */
  webhooks: Operation[];
  securitySchemes: Record<string, SecurityScheme>;
}

export interface Server {
  /** With `{variables}` replaced by their defaults. */
  url: string;
  description?: string;
}

export interface Tag {
  slug: string;
  name: string;
  description?: string;
  operations: OperationSummary[];
}

export interface OperationSummary {
  slug: string;
  kind: "operation" | "webhook";
  method: HttpMethod;
  /** The URL path template, or the webhook's name. */
  path: string;
  /** What to call it: the summary, else the operationId in words, else "GET /path". */
  title: string;
  summary?: string;
  deprecated: boolean;
  /** The first tag's slug: the tag page and sidebar group it belongs to. */
  tagSlug: string;
}

export interface Operation extends OperationSummary {
  operationId?: string;
  description?: string;
  /** Names of all its tags (an operation can appear under several). */
  tags: string[];
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: Response[];
  /** Alternatives: one requirement must be met; each requirement lists schemes that all apply. Empty = no auth. */
  security: SecurityRequirement[];
  /** True when its security names an apiKey scheme: API Gateway then expects the x-api-key header. */
  apiKeyRequired: boolean;
  /** True when its security names an HTTP bearer scheme (e.g. the portal's own Developer API and its tokens). */
  bearerRequired: boolean;
  servers: Server[];
  externalDocs?: { url: string; description?: string };
}

export type ParameterLocation = "path" | "query" | "header" | "cookie";

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  deprecated: boolean;
  description?: string;
  schema?: Schema;
  example?: Example;
}

export interface RequestBody {
  description?: string;
  required: boolean;
  content: MediaType[];
}

export interface Response {
  /** "200", "4XX", "default"… */
  status: string;
  description?: string;
  headers: Header[];
  content: MediaType[];
}

export interface Header {
  name: string;
  description?: string;
  required: boolean;
  deprecated: boolean;
  schema?: Schema;
  example?: Example;
}

export interface MediaType {
  contentType: string;
  schema?: Schema;
  /** The spec's examples (at most a few), else one generated from the schema. */
  examples: Example[];
}

export interface Example {
  name?: string;
  summary?: string;
  /** Ready to show: JSON pretty-printed, strings as they are. Capped in size. */
  text: string;
  /** The text was cut at the size cap. */
  truncated?: true;
  /** Synthesised from the schema, not written by the API owner. */
  generated?: true;
}

/** One way to authenticate: every scheme listed applies. `label` is ready to show ("API key (header x-api-key)"). */
export type SecurityRequirement = { scheme: string; scopes: string[]; type?: SecurityScheme["type"]; label: string }[];

export interface SecurityScheme {
  key: string;
  type: "apiKey" | "http" | "oauth2" | "openIdConnect" | "mutualTLS" | string;
  description?: string;
  /** apiKey: the header/query/cookie name and where it goes. */
  name?: string;
  in?: string;
  /** http: "basic", "bearer"… */
  scheme?: string;
  bearerFormat?: string;
  openIdConnectUrl?: string;
  /** oauth2: the flows' names and URLs. */
  flows?: { flow: string; authorizationUrl?: string; tokenUrl?: string; scopes: string[] }[];
}

export interface Schema {
  /** The component name, when the schema is a named (referenced) component. */
  name?: string;
  title?: string;
  /** JSON types; several when nullable (["string", "null"]); empty = any. */
  types: string[];
  format?: string;
  description?: string;
  deprecated?: true;
  readOnly?: true;
  writeOnly?: true;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  /** The schema's own example (first of `examples` in 3.1). */
  example?: unknown;
  /** Readable constraints: "≥ 1", "≤ 100 characters", "pattern ^AC[0-9a-f]{32}$"… */
  constraints: string[];
  properties: SchemaProperty[];
  /** A map's value schema, or true for "any additional properties". */
  additionalProperties?: Schema | true;
  items?: Schema;
  /** Only when the parts could not be merged into `properties` (see mergedFrom). */
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  not?: Schema;
  discriminator?: { propertyName: string; mapping: { value: string; target: string }[] };
  /** Named schemas whose properties were merged in from allOf. */
  mergedFrom?: string[];
}

export interface SchemaProperty {
  name: string;
  required: boolean;
  schema: Schema;
}
