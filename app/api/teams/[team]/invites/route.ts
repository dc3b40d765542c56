// GET /api/teams/{team}/invites – open invitations (owners, admins) · POST { email, role } – invite someone; the link is in the answer, once
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { assignableBy, invite, inviteInput, listInvites, spaceFor } from "@/lib/teams";
import { AppError } from "@/lib/errors";

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
    return NextResponse.json(await space.act(() => invite(team, user, email, role)), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "teams" },
);
