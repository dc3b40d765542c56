import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { NextRequest } from "next/server";
import { bearerToken, tokenCaller, withErrors } from "../api/route";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { clientIp, enforcePortalLimit } from "../limits/portal";
import { createMcpServer } from "./server";

/** The largest JSON-RPC message read (a call_operation body is at most 64 KB). */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** A request's tools have this long to answer; then the server is closed and the client told so. */
const ANSWER_WITHIN_MS = 15_000;

/**
 * POST /mcp: one JSON-RPC message in, its answer out as JSON. Stateless (no Mcp-Session-Id, no
 * server-sent stream): any instance answers any request, which suits Lambda. A request with a
 * token is that token's owner's (401 with WWW-Authenticate when the token is bad); one without is
 * anonymous and gets the docs tools. Every request counts against `limits.portal.agents`, per
 * token and per IP — so batches, which would count as one, are refused (MCP 2025-06-18 dropped
 * them), and an answer that doesn't come within 15 s (a cancelled call is never answered) ends the request.
 */
export const handleMcp = withErrors(async (request: NextRequest) => {
  assertAllowedOrigin(request);
  const ip = clientIp(request.headers);
  const caller = bearerToken(request) ? await tokenCaller(request, "read") : undefined;
  if (!caller) await enforcePortalLimit("agents", { ip });
  const message = await readMessage(request);
  if (message instanceof Response) return message;
  const server = createMcpServer({ caller, ip });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Response>((resolve) => {
    timer = setTimeout(
      () => resolve(rpcError(503, -32000, "The tool took too long to answer; nothing more will come of this request.", message)),
      ANSWER_WITHIN_MS,
    );
  });
  try {
    const response = await Promise.race([transport.handleRequest(request, { parsedBody: message }), late]);
    response.headers.set("Cache-Control", "no-store");
    return response;
  } finally {
    clearTimeout(timer);
    await server.close();
  }
}, 'Bearer realm="portico"');

/** The request's one JSON-RPC message, or the JSON-RPC error answering it. */
async function readMessage(request: NextRequest): Promise<Record<string, unknown> | Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_MESSAGE_BYTES) return rpcError(413, -32600, `A message is at most ${MAX_MESSAGE_BYTES / 1024} KB.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) return rpcError(413, -32600, `A message is at most ${MAX_MESSAGE_BYTES / 1024} KB.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return rpcError(400, -32700, "Parse error: the body must be one JSON-RPC message.");
  }
  if (Array.isArray(parsed)) return rpcError(400, -32600, "Batches aren't supported: send one JSON-RPC message per request.");
  if (!parsed || typeof parsed !== "object") return rpcError(400, -32600, "Invalid request: the body must be a JSON-RPC message object.");
  return parsed as Record<string, unknown>;
}

function rpcError(status: number, code: number, message: string, request?: Record<string, unknown>): Response {
  const id = request && (typeof request.id === "string" || typeof request.id === "number") ? request.id : null;
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id }, { status });
}

/** The stream (GET) and session end (DELETE) of stateful servers: this one has neither. */
export function methodNotAllowed(): Response {
  const response = rpcError(405, -32000, "This MCP server is stateless: send JSON-RPC messages with POST.");
  response.headers.set("Allow", "POST");
  return response;
}

/**
 * Against DNS rebinding and other sites' pages: a browser request from another origin is refused
 * (the server reads no cookies, so this is all a page elsewhere could try).
 */
function assertAllowedOrigin(request: NextRequest): void {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(getConfig().AUTH_URL).origin) throw new AppError("forbidden", "Cross-origin requests to the MCP server are not allowed.");
}
