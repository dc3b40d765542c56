// GET /api/teams/{team} – the team, the caller's role, its members (and open invitations, for those who may invite)
// PATCH { name } – rename it (owners) · DELETE – delete it, once it holds no keys or subscriptions (owners)
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { can, deleteTeam, listInvites, readMembers, renameTeam, renameTeamInput, spaceFor } from "@/lib/teams";
import { memberView } from "@/lib/teams/views";

export const GET = withCaller<{ team: string }>("user", async (_request, { user }, { params }) => {
  const { team } = await spaceFor(user, (await params).team, "view");
  const [members, invites] = await Promise.all([readMembers(team!.id), can(team!.role, "invite") ? listInvites(team!) : undefined]);
  return NextResponse.json({ team, members: members.map(memberView), ...(invites ? { invites } : {}) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const PATCH = withCaller<{ team: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "manageTeam");
    const team = space.team!;
    const { name } = await readJson(request, renameTeamInput);
    return NextResponse.json({ team: { ...(await space.act(() => renameTeam(team, name))), role: team.role } });
  },
  { limit: "teams" },
);

export const DELETE = withCaller<{ team: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "manageTeam");
    await space.act(() => deleteTeam(space.team!));
    return new Response(null, { status: 204 });
  },
  { limit: "teams" },
);
