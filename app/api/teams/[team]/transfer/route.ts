// POST /api/teams/{team}/transfer { userId } – make another member the owner; the caller (an owner) becomes an admin
import { readJson, withCaller } from "@/lib/api/route";
import { spaceFor, transferInput, transferOwnership } from "@/lib/teams";

export const POST = withCaller<{ team: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "manageTeam");
    const { userId } = await readJson(request, transferInput);
    await space.act(() => transferOwnership(space.team!, user.id, userId));
    return new Response(null, { status: 204 });
  },
  { limit: "teams" },
);
