// GET /api/teams/{team} – the team, the caller's role, its members (and open invitations, for those who may invite)
// PATCH { name?, rotateOnDeparture?: none|1h|24h|7d|null } – rename it, and/or require that departures rotate the keys the person saw (owners) · DELETE – delete it, once it holds no keys or subscriptions (owners)
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { can, deleteTeam, listInvites, readMembers, renameTeam, setDeparturePolicy, spaceFor, teamSettingsInput, type Team } from "@/lib/teams";
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
    const { role } = space.team!;
    const { name, rotateOnDeparture } = await readJson(request, teamSettingsInput);
    let team: Team = space.team!;
    if (name !== undefined) team = await space.act(() => renameTeam(team, name));
    if (rotateOnDeparture !== undefined) team = await space.act(() => setDeparturePolicy(team, rotateOnDeparture));
    return NextResponse.json({ team: { ...team, role } });
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
