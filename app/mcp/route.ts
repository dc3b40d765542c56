// POST /mcp – the portal's MCP server (Streamable HTTP, stateless, JSON responses): docs tools for anyone, the developer's own keys, plans, usage and calls with a portal token
import { handleMcp, methodNotAllowed } from "@/lib/mcp/http";

export const POST = handleMcp;
export const GET = methodNotAllowed;
export const DELETE = methodNotAllowed;
