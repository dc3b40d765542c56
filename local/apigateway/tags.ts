import { badRequest, notFound } from "./errors";

/** The taggable resources the sandbox models, as they appear in an ARN's resource path. */
export type TaggedResource =
  { kind: "apikey"; id: string } | { kind: "usageplan"; id: string } | { kind: "restapi"; id: string } | { kind: "stage"; apiId: string; stageName: string };

const ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::(\/.*)$/;
const RESOURCES: [RegExp, (m: RegExpExecArray) => TaggedResource][] = [
  [/^\/apikeys\/([^/]+)$/, (m) => ({ kind: "apikey", id: m[1]! })],
  [/^\/usageplans\/([^/]+)$/, (m) => ({ kind: "usageplan", id: m[1]! })],
  [/^\/restapis\/([^/]+)$/, (m) => ({ kind: "restapi", id: m[1]! })],
  [/^\/restapis\/([^/]+)\/stages\/([^/]+)$/, (m) => ({ kind: "stage", apiId: m[1]!, stageName: m[2]! })],
];

/**
 * `arn:aws:apigateway:{region}::/usageplans/{id}` (and `/apikeys/{id}`, `/restapis/{id}`,
 * `/restapis/{id}/stages/{name}`), the form API Gateway documents for its taggable resources.
 * Not an API Gateway ARN: 400. Another Region's, or a resource type the sandbox does not model:
 * 404, as nothing by that ARN exists here (what AWS answers for those is not documented).
 */
export function parseResourceArn(arn: string, region: string): TaggedResource {
  const m = ARN.exec(arn);
  if (!m) throw badRequest(`Invalid ARN specified in the request: ${arn}`);
  if (m[1] !== region) throw notFound(`Invalid resource ARN: ${arn} is not in ${region}`);
  for (const [pattern, make] of RESOURCES) {
    const r = pattern.exec(m[2]!);
    if (r) return make(r);
  }
  throw notFound(`Invalid resource ARN: ${arn}`);
}

/** AWS's tagging rules (API reference, `tags`): key 1–128 characters not starting with `aws:`, value up to 256; 50 tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

export function checkTags(tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) throw badRequest(`Invalid tag key '${key}': it must be 1 to 128 characters`);
    if (key.toLowerCase().startsWith("aws:")) throw badRequest(`Invalid tag key '${key}': keys starting with 'aws:' are reserved`);
    if (value.length > 256) throw badRequest(`Invalid tag value for key '${key}': it must be at most 256 characters`);
  }
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) throw badRequest(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags`);
}

/**
 * `tags` on the wire. AWS leaves it out of create and list answers when a resource has none, but
 * the single-resource reads and updates (GetApiKey/UpdateApiKey, GetUsagePlan/UpdateUsagePlan,
 * GetRestApi/PutRestApi) carry `"tags": {}` — per responses recorded against AWS in LocalStack's
 * AWS-validated snapshots (tests/aws/services/apigateway/*.snapshot.json); stages never show
 * empty tags. GetApiKey is not among those recordings: it follows UpdateApiKey (same resource view).
 */
export function wireTags(tags: Record<string, string> | undefined, view: "full" | "summary"): { tags?: Record<string, string> } {
  if (tags && Object.keys(tags).length) return { tags: { ...tags } };
  return view === "full" ? { tags: {} } : {};
}
