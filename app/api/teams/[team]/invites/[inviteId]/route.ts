// DELETE /api/teams/{team}/invites/{inviteId} – revoke an invitation (owners, admins)
import { parseInput, withCaller } from "@/lib/api/route";
import { resourceId } from "@/lib/access";
import { revokeInvite, spaceFor } from "@/lib/teams";

export const DELETE = withCaller<{ team: string; inviteId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const { team: slug, inviteId } = await params;
    const { team } = await spaceFor(user, slug, "invite");
    await revokeInvite(team!, parseInput(resourceId, inviteId));
    return new Response(null, { status: 204 });
  },
  { limit: "teams" },
);
