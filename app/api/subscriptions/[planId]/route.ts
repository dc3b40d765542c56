// DELETE /api/subscriptions/{planId}[?team=<slug>] – unsubscribe (or withdraw a pending request)
import { resourceId, unsubscribe } from "@/lib/access";
import { parseInput, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const DELETE = withCaller<{ planId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const planId = parseInput(resourceId, (await params).planId);
    await space.act(() => unsubscribe(space.owner.id, planId));
    return new Response(null, { status: 204 });
  },
  { limit: "subscriptions" },
);
