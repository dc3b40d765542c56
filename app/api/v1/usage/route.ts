// GET /api/v1/usage?plan=&days=7|30|90[&refresh=1] – the token's daily usage in one plan (its owner's, or its team's), per key, with the quota
import { NextResponse } from "next/server";
import { getPlanUsage, usageQuery } from "@/lib/access";
import { enforceLimit, parseInput, withToken } from "@/lib/api/route";
import { getCatalog } from "@/lib/catalog/read";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (request, caller) => {
  const { owner } = await tokenSpace(caller, "read");
  const query = parseInput(usageQuery, Object.fromEntries(request.nextUrl.searchParams));
  // A refresh reads API Gateway (GetUsage per key): it counts against limits.portal.liveReads.
  if (query.refresh === "1") await enforceLimit("liveReads", request, caller);
  const plan = (await getCatalog()).products.find((p) => p.plan.id === query.plan)?.plan;
  const usage = await getPlanUsage(owner.id, query.plan, query.days, { plan, refresh: query.refresh === "1" });
  return NextResponse.json(usage, { headers: { "Cache-Control": "private, no-store" } });
});
