// DELETE /api/tokens/{tokenId}[?team=<slug>] – revoke one of the caller's portal tokens now (a team's: one they made, or any if they manage the team's access)
import { parseInput, teamParam, withCaller } from "@/lib/api/route";
import { isTeamSpace, revokeTeamToken, spaceFor } from "@/lib/teams";
import { revokeToken, tokenId } from "@/lib/tokens";

export const DELETE = withCaller<{ tokenId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, teamParam(request), "view");
    const id = parseInput(tokenId, (await params).tokenId);
    if (isTeamSpace(space)) await revokeTeamToken(space, user, id);
    else await revokeToken(user, id);
    return new Response(null, { status: 204 });
  },
  { limit: "tokens" },
);
