// GET /api/usage?plan=&days=7|30|90[&refresh=1][&format=csv] – the caller's daily usage in one plan
import { NextResponse } from "next/server";
import { getPlanUsage, usageCsv, usageQuery } from "@/lib/access";
import { parseInput, withCaller } from "@/lib/api/route";
import { getCatalog } from "@/lib/catalog/read";

export const GET = withCaller("user", async (request, { user }) => {
  const query = parseInput(usageQuery, Object.fromEntries(request.nextUrl.searchParams));
  const plan = (await getCatalog()).products.find((p) => p.plan.id === query.plan)?.plan;
  const usage = await getPlanUsage(user.id, query.plan, query.days, { plan, refresh: query.refresh === "1" });
  if (query.format === "json") return NextResponse.json(usage, { headers: { "Cache-Control": "private, no-store" } });
  return new Response(usageCsv(usage), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="usage-${usage.productSlug}-${query.days}d.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
