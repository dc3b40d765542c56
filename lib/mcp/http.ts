import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { NextRequest } from "next/server";
import { bearerToken, tokenCaller, withErrors } from "../api/route";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { clientIp, enforcePortalLimit } from "../limits/portal";
import { createMcpServer } from "./server";

/**
 * POST /mcp: one JSON-RPC message (or batch) in, its answer out as JSON. Stateless (no
 * Mcp-Session-Id, no server-sent stream): any instance answers any request, which suits Lambda.
 * A request with a token is that token's owner's (401 with WWW-Authenticate when the token is bad);
 * one without is anonymous and gets the docs tools. Every request counts against
 * `limits.portal.agents`, per token and per IP.
 */
export const handleMcp = withErrors(async (request: NextRequest) => {
  assertAllowedOrigin(request);
  const ip = clientIp(request.headers);
  const caller = bearerToken(request) ? await tokenCaller(request, "read") : undefined;
  if (!caller) await enforcePortalLimit("agents", { ip });
  const server = createMcpServer({ caller, ip });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request);
    response.headers.set("Cache-Control", "no-store");
    return response;
  } finally {
    await server.close();
  }
}, 'Bearer realm="portico"');

/** The stream (GET) and session end (DELETE) of stateful servers: this one has neither. */
export function methodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32000, message: "This MCP server is stateless: send JSON-RPC messages with POST." }, id: null },
    { status: 405, headers: { Allow: "POST" } },
  );
}

/** The MCP transport's guard against DNS rebinding: a browser page from elsewhere may not drive the server. */
function assertAllowedOrigin(request: NextRequest): void {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(getConfig().AUTH_URL).origin) throw new AppError("forbidden", "Cross-origin requests to the MCP server are not allowed.");
}
