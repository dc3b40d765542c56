// GET /api/v1/usage?plan=&days=7|30|90[&refresh=1] – the token owner's daily usage in one plan, per key, with the quota
import { NextResponse } from "next/server";
import { getPlanUsage, usageQuery } from "@/lib/access";
import { enforceLimit, parseInput, withToken } from "@/lib/api/route";
import { getCatalog } from "@/lib/catalog/read";

export const GET = withToken("read", async (request, caller) => {
  const query = parseInput(usageQuery, Object.fromEntries(request.nextUrl.searchParams));
  // A refresh reads API Gateway (GetUsage per key): it counts against limits.portal.liveReads.
  if (query.refresh === "1") await enforceLimit("liveReads", request, caller);
  const plan = (await getCatalog()).products.find((p) => p.plan.id === query.plan)?.plan;
  const usage = await getPlanUsage(caller.user.id, query.plan, query.days, { plan, refresh: query.refresh === "1" });
  return NextResponse.json(usage, { headers: { "Cache-Control": "private, no-store" } });
});
