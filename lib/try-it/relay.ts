import { AppError } from "../errors";

export interface RelayRequest {
  /** The stage's invoke URL from the catalog; never taken from the client. */
  invokeUrl: string;
  method: string;
  /** The operation's path template, e.g. /pets/{petId}. */
  pathTemplate: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body?: string;
  contentType?: string;
  apiKey?: string;
}

export interface RelayResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
  truncated: boolean;
  durationMs: number;
}

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 256 * 1024;
/** Response headers worth showing; cookies and hop-by-hop headers are dropped. */
const SHOWN_HEADERS = /^(content-type|content-length|date|cache-control|etag|last-modified|retry-after|x-amzn-requestid|x-amzn-errortype|x-amz-apigw-id|x-ratelimit-.*|access-control-.*)$/i;

/** Expands the operation's path template; parameters are percent-encoded so they cannot add segments. */
export function buildTargetUrl(invokeUrl: string, pathTemplate: string, pathParams: Record<string, string>, query: Record<string, string>): URL {
  const path = pathTemplate.replace(/\{([^}]+?)\+?\}/g, (_, name: string) => {
    const value = pathParams[name];
    if (value === undefined || value === "") throw new AppError("bad_request", `Fill in the path parameter '${name}'.`);
    return encodeURIComponent(value);
  });
  const url = new URL(`${invokeUrl.replace(/\/$/, "")}${path}`);
  const base = new URL(invokeUrl);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/$/, ""))) throw new AppError("bad_request", "That path leaves the API.");
  for (const [name, value] of Object.entries(query)) if (value !== "") url.searchParams.set(name, value);
  return url;
}

/**
 * Sends one try-it request to an API stage in the catalog and reports what came back.
 * Only catalog invoke URLs are reachable (the caller passes the catalog entry, not a URL).
 */
export async function relay(request: RelayRequest): Promise<RelayResponse> {
  const url = buildTargetUrl(request.invokeUrl, request.pathTemplate, request.pathParams, request.query);
  const headers: Record<string, string> = { accept: "application/json, */*;q=0.5", "user-agent": "Portico try-it" };
  if (request.apiKey) headers["x-api-key"] = request.apiKey;
  const hasBody = request.body !== undefined && request.body !== "" && !["GET", "HEAD"].includes(request.method);
  if (hasBody) headers["content-type"] = request.contentType ?? "application/json";
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, body: hasBody ? request.body : undefined, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw new AppError("unavailable", timedOut ? `The API did not answer within ${TIMEOUT_MS / 1000} s.` : "The API could not be reached.");
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8");
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers].filter(([name]) => SHOWN_HEADERS.test(name)),
    body,
    truncated,
    durationMs: Math.round(performance.now() - started),
  };
}
