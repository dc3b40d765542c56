// GET /api/admin/overview – sign-ups, keys, top consumers and keys near quota, from stored data
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";
import { getOverview } from "@/lib/users";

export const GET = withCaller("admin", async () => NextResponse.json(await getOverview(), { headers: { "Cache-Control": "private, no-store" } }));
