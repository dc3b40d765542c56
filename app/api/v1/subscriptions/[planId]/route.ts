// DELETE /api/v1/subscriptions/{planId} – unsubscribe, or withdraw a pending request (scope manage)
import { resourceId, unsubscribe } from "@/lib/access";
import { parseInput, withToken } from "@/lib/api/route";

export const DELETE = withToken<{ planId: string }>(
  "manage",
  async (_request, { user }, { params }) => {
    await unsubscribe(user.id, parseInput(resourceId, (await params).planId));
    return new Response(null, { status: 204 });
  },
  { limit: "subscriptions" },
);
