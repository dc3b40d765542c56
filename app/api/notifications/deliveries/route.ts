// GET /api/notifications/deliveries?cursor= – the caller's delivery log, newest first (30 days)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { deliveriesQuery, listDeliveries } from "@/lib/notifications";

export const GET = withCaller("user", async (request, { user }) => {
  const query = parseInput(deliveriesQuery, Object.fromEntries(request.nextUrl.searchParams));
  return NextResponse.json(await listDeliveries(user.id, query));
});
