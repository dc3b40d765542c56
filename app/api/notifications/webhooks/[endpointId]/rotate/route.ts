// POST /api/notifications/webhooks/{id}/rotate – a new signing secret (returned once); the old one signs too for 24 h
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { endpointId, rotateEndpointSecret } from "@/lib/notifications";

export const POST = withCaller<{ endpointId: string }>(
  "user",
  async (_request, { user }, { params }) =>
    NextResponse.json(await rotateEndpointSecret(user, parseInput(endpointId, (await params).endpointId)), { headers: { "Cache-Control": "no-store" } }),
  { limit: "notifications" },
);
