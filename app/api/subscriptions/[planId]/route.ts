// DELETE /api/subscriptions/{planId} – unsubscribe (or withdraw a pending request)
import { resourceId, unsubscribe } from "@/lib/access";
import { parseInput, withCaller } from "@/lib/api/route";

export const DELETE = withCaller<{ planId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    await unsubscribe(user.id, parseInput(resourceId, (await params).planId));
    return new Response(null, { status: 204 });
  },
  { limit: "subscriptions" },
);
