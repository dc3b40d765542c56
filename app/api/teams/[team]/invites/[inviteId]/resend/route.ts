// POST /api/teams/{team}/invites/{inviteId}/resend – a new link and another week (the old link stops working)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { resourceId } from "@/lib/access";
import { resendInvite, spaceFor } from "@/lib/teams";

export const POST = withCaller<{ team: string; inviteId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const { team: slug, inviteId } = await params;
    const space = await spaceFor(user, slug, "invite");
    const id = parseInput(resourceId, inviteId);
    return NextResponse.json(await space.act(() => resendInvite(space.team!, user, id)), { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "teams" },
);
