// GET /api/admin/subscriptions – pending subscription requests, oldest first
import { NextResponse } from "next/server";
import { listPendingSubscriptions } from "@/lib/access";
import { withCaller } from "@/lib/api/route";

export const GET = withCaller("admin", async () => NextResponse.json({ pending: await listPendingSubscriptions() }));
