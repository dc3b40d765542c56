// DELETE /api/subscriptions/{planId}[?team=<slug>] – unsubscribe (or withdraw a pending request)
import { resourceId, unsubscribe } from "@/lib/access";
import { parseInput, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const DELETE = withCaller<{ planId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const { owner } = await spaceFor(user, teamParam(request), "manageAccess");
    await unsubscribe(owner.id, parseInput(resourceId, (await params).planId));
    return new Response(null, { status: 204 });
  },
  { limit: "subscriptions" },
);
