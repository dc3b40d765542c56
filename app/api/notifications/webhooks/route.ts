// GET /api/notifications/webhooks – the caller's endpoints · POST { url, description? } – register one (its secret returned once)
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { createEndpoint, endpointInput, listEndpoints, MAX_ENDPOINTS } from "@/lib/notifications";

export const GET = withCaller("user", async (_request, { user }) => NextResponse.json({ endpoints: await listEndpoints(user.id), max: MAX_ENDPOINTS }));

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const input = await readJson(request, endpointInput);
    return NextResponse.json(await createEndpoint(user, input), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "notifications" },
);
