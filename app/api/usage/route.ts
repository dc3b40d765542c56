// GET /api/usage?plan=&days=7|30|90[&refresh=1][&format=csv][&team=<slug>] – the caller's daily usage in one plan
import { NextResponse } from "next/server";
import { getPlanUsage, usageCsv, usageQuery } from "@/lib/access";
import { enforceLimit, parseInput, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";
import { getCatalog } from "@/lib/catalog/read";

export const GET = withCaller("user", async (request, caller) => {
  const { user } = caller;
  const { owner } = await spaceFor(user, teamParam(request), "view");
  const query = parseInput(usageQuery, Object.fromEntries(request.nextUrl.searchParams));
  // A refresh reads API Gateway (GetUsage per key): it counts against limits.portal.liveReads.
  if (query.refresh === "1") await enforceLimit("liveReads", request, caller);
  const plan = (await getCatalog()).products.find((p) => p.plan.id === query.plan)?.plan;
  const usage = await getPlanUsage(owner.id, query.plan, query.days, { plan, refresh: query.refresh === "1" });
  if (query.format === "json") return NextResponse.json(usage, { headers: { "Cache-Control": "private, no-store" } });
  return new Response(usageCsv(usage), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="usage-${usage.productSlug}-${query.days}d.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
