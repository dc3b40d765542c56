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
  /** Bytes of the body as sent (its Content-Length when cut short, else what arrived). */
  sizeBytes: number;
}

const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 256 * 1024;
/** Response headers worth showing; cookies and hop-by-hop headers are dropped. */
const SHOWN_HEADERS =
  /^(content-type|content-length|date|cache-control|etag|last-modified|retry-after|x-amzn-requestid|x-amzn-errortype|x-amz-apigw-id|x-ratelimit-.*|access-control-.*)$/i;

const MAX_QUERY_CHARS = 8 * 1024;
const MAX_PATH_CHARS = 8 * 1024;
/** `.` and `..` (however encoded) would climb out of the template once the URL is normalized. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Expands the operation's path template into a URL under the stage's invoke URL. Parameters are
 * percent-encoded so they can't add segments, dot segments are refused, and the resolved path must
 * stay inside the stage (`/prod` or `/prod/…`, never `/prod-internal`).
 */
export function buildTargetUrl(invokeUrl: string, pathTemplate: string, pathParams: Record<string, string>, query: Record<string, string>): URL {
  const path = pathTemplate.replace(/\{([^}]+?)\+?\}/g, (_, name: string) => {
    const value = Object.hasOwn(pathParams, name) ? pathParams[name] : undefined;
    if (value === undefined || value === "") throw new AppError("bad_request", `Fill in the path parameter '${name}'.`);
    if (DOT_SEGMENT.test(value)) throw new AppError("bad_request", `The path parameter '${name}' can't be '.' or '..'.`);
    if (!value.isWellFormed()) throw new AppError("bad_request", `The path parameter '${name}' isn't valid text (it has a lone surrogate).`);
    return encodeURIComponent(value);
  });
  if (path.length > MAX_PATH_CHARS) throw new AppError("bad_request", "The path is too long.");
  const base = new URL(invokeUrl);
  const url = new URL(`${invokeUrl.replace(/\/$/, "")}${path}`);
  const stage = base.pathname.replace(/\/$/, "");
  if (url.origin !== base.origin || (url.pathname !== stage && !url.pathname.startsWith(`${stage}/`)))
    throw new AppError("bad_request", "That path leaves the API.");
  for (const [name, value] of Object.entries(query)) if (value !== "") url.searchParams.set(name, value);
  if (url.search.length > MAX_QUERY_CHARS) throw new AppError("bad_request", `The query string is too long (at most ${MAX_QUERY_CHARS / 1024} KB).`);
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
    response = await fetch(url, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
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
  const durationMs = Math.round(performance.now() - started);
  const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8");
  const declared = Number(response.headers.get("content-length"));
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers].filter(([name]) => SHOWN_HEADERS.test(name)),
    body,
    truncated,
    durationMs,
    sizeBytes: truncated && Number.isSafeInteger(declared) && declared > size ? declared : size,
  };
}
