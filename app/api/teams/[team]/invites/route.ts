// GET /api/teams/{team}/invites – open invitations (owners, admins) · POST { email, role } – invite someone: the invitation is
// emailed to them (`emailed`: queued, or why not), and its link is in the answer, once, as a fallback
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { assignableBy, invite, inviteInput, listInvites, spaceFor } from "@/lib/teams";
import { AppError } from "@/lib/errors";
import { emailedTo } from "@/lib/notifications";

export const GET = withCaller<{ team: string }>("user", async (_request, { user }, { params }) => {
  const { team } = await spaceFor(user, (await params).team, "invite");
  return NextResponse.json({ invites: await listInvites(team!) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const POST = withCaller<{ team: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "invite");
    const team = space.team!;
    const { email, role } = await readJson(request, inviteInput);
    if (!assignableBy(team.role).includes(role)) throw new AppError("forbidden", `Your role can't invite someone as ${role}.`);
    const invited = await space.act(() => invite(team, user, email, role));
    return NextResponse.json({ ...invited, emailed: await emailedTo(email) }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "teams" },
);
