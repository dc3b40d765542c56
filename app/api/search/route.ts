// GET /api/search?q=…&limit=… – the header search box's results (components/shell/search.ts): what
// the caller may see, as lib/search labels it. The /search page and the MCP tool use search() directly.
import { NextResponse } from "next/server";
import { withErrors } from "@/lib/api/route";
import { getCaller } from "@/lib/auth";
import { search } from "@/lib/search";

export const GET = withErrors(async (request) => {
  const params = request.nextUrl.searchParams;
  const limit = Math.min(30, Math.max(1, Math.trunc(Number(params.get("limit"))) || 8));
  const hits = await search((params.get("q") ?? "").slice(0, 200), await getCaller(), limit);
  return NextResponse.json({ hits }, { headers: { "cache-control": "private, no-store" } });
});
