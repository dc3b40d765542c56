// DELETE /api/teams/{team}/invites/{inviteId} – revoke an invitation (owners, admins)
import { parseInput, withCaller } from "@/lib/api/route";
import { resourceId } from "@/lib/access";
import { revokeInvite, spaceFor } from "@/lib/teams";

export const DELETE = withCaller<{ team: string; inviteId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const { team: slug, inviteId } = await params;
    const space = await spaceFor(user, slug, "invite");
    const id = parseInput(resourceId, inviteId);
    await space.act(() => revokeInvite(space.team!, id));
    return new Response(null, { status: 204 });
  },
  { limit: "teams" },
);
