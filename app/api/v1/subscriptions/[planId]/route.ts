// DELETE /api/v1/subscriptions/{planId} – unsubscribe, or withdraw a pending request (scope manage)
import { resourceId, unsubscribe } from "@/lib/access";
import { parseInput, withToken } from "@/lib/api/route";
import { tokenSpace } from "@/lib/teams";

export const DELETE = withToken<{ planId: string }>(
  "manage",
  async (_request, caller, { params }) => {
    const space = await tokenSpace(caller, "manage");
    const planId = parseInput(resourceId, (await params).planId);
    await space.act(() => unsubscribe(space.owner.id, planId));
    return new Response(null, { status: 204 });
  },
  { limit: "subscriptions" },
);
