// GET /api/v1/usage?plan=<plan id or product slug>&days=7|30|90[&refresh=1] – the token's daily usage in one plan (its owner's, or its team's), per key, with the quota
import { NextResponse } from "next/server";
import { getPlanUsage, usageQuery } from "@/lib/access";
import { enforceLimit, parseInput, withToken } from "@/lib/api/route";
import { getCatalog, getCatalogFor } from "@/lib/catalog/read";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (request, caller) => {
  const space = await tokenSpace(caller, "read");
  const query = parseInput(usageQuery, Object.fromEntries(request.nextUrl.searchParams));
  // A refresh reads API Gateway (GetUsage per key): it counts against limits.portal.liveReads.
  if (query.refresh === "1") await enforceLimit("liveReads", request, caller);
  // The plan's id, or (as the docs show products) its product's slug among those this token may see.
  const product =
    (await getCatalog()).products.find((p) => p.plan.id === query.plan) ??
    (await getCatalogFor(space.team ? space.viewer : caller)).products.find((p) => p.slug === query.plan);
  const usage = await getPlanUsage(space.owner.id, product?.plan.id ?? query.plan, query.days, { plan: product?.plan, refresh: query.refresh === "1" });
  return NextResponse.json(usage, { headers: { "Cache-Control": "private, no-store" } });
});
