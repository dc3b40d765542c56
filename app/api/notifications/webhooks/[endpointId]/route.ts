// PATCH /api/notifications/webhooks/{id} { description?, enabled? } · DELETE – remove the endpoint
import { NextResponse } from "next/server";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { changeEndpoint, deleteEndpoint, endpointChange, endpointId } from "@/lib/notifications";

export const PATCH = withCaller<{ endpointId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const id = parseInput(endpointId, (await params).endpointId);
    const change = await readJson(request, endpointChange);
    return NextResponse.json({ endpoint: await changeEndpoint(user, id, change) });
  },
  { limit: "notifications" },
);

export const DELETE = withCaller<{ endpointId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    await deleteEndpoint(user, parseInput(endpointId, (await params).endpointId));
    return new Response(null, { status: 204 });
  },
  { limit: "notifications" },
);
