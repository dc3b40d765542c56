// GET /api/admin/audit?user=&type=&cursor=&format=csv – the audit log, newest first
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { auditCsv, listAudit } from "@/lib/audit";
import { adminInputs } from "@/lib/users";

export const GET = withCaller("admin", async (request) => {
  const query = parseInput(adminInputs.audit, Object.fromEntries(request.nextUrl.searchParams));
  const filter = { ...(query.user ? { userId: query.user } : {}), ...(query.type ? { type: query.type } : {}) };
  if (query.format === "csv") {
    const { entries } = await listAudit({ ...filter, limit: 1_000 });
    return new Response(auditCsv(entries), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="portico-audit.csv"',
        "Cache-Control": "private, no-store",
      },
    });
  }
  return NextResponse.json(await listAudit({ ...filter, ...(query.cursor ? { cursor: query.cursor } : {}) }), {
    headers: { "Cache-Control": "private, no-store" },
  });
});
