// POST /api/admin/catalog/refresh – the next view re-reads plans and stages from API Gateway and re-exports specs
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";
import { refreshCatalogNow } from "@/lib/catalog/admin";

export const POST = withCaller("admin", async () => NextResponse.json(await refreshCatalogNow()));
