// POST /api/teams/{team}/invites/{inviteId}/resend – a new link, emailed again (`emailed`), and another week (the old link,
// and an email still queued with it, stop working)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { resourceId } from "@/lib/access";
import { emailedTo } from "@/lib/notifications";
import { resendInvite, spaceFor } from "@/lib/teams";

export const POST = withCaller<{ team: string; inviteId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const { team: slug, inviteId } = await params;
    const space = await spaceFor(user, slug, "invite");
    const id = parseInput(resourceId, inviteId);
    const resent = await space.act(() => resendInvite(space.team!, user, id));
    return NextResponse.json({ ...resent, emailed: await emailedTo(resent.invite.email) }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "teams" },
);
