// POST /api/notifications/webhooks/{id}/test – queue a `webhook.test` event for that endpoint (sent within a minute)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { endpointId, sendTestEvent } from "@/lib/notifications";

export const POST = withCaller<{ endpointId: string }>(
  "user",
  async (_request, { user }, { params }) => NextResponse.json(await sendTestEvent(user, parseInput(endpointId, (await params).endpointId)), { status: 202 }),
  { limit: "notifications" },
);
