// POST /api/teams/{team}/leave – leave a team (its only owner can't: hand it over or delete it first)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";
import { removeMember, spaceFor } from "@/lib/teams";

export const POST = withCaller<{ team: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "view");
    const removal = await space.act(() => removeMember(space.team!, user.id, { rotateRevealed: false, grace: "24h", leaving: true }));
    return NextResponse.json({ revealed: removal.revealed, revokedTokens: removal.revokedTokens, rotation: removal.rotation });
  },
  { limit: "teams" },
);
