// GET    /api/admin/teams/{teamId} – the team (by id or slug), its members, keys and subscriptions
// POST   /api/admin/teams/{teamId} { action } – disable | enable (its keys off or on; members can only look while disabled)
// DELETE /api/admin/teams/{teamId} { confirm: <its slug> } – delete the team and everything it holds (keys, subscriptions, members)
import { NextResponse } from "next/server";
import { getAccessSummary } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { deleteTeamAsAdmin, readMembers, setTeamDisabled, teamOrNotFound } from "@/lib/teams";
import { memberView } from "@/lib/teams/views";
import { adminInputs } from "@/lib/users";

type Params = { teamId: string };

const teamView = (team: Awaited<ReturnType<typeof teamOrNotFound>>) => ({ ...team, status: team.disabled ? "disabled" : "active" });

export const GET = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const team = await teamOrNotFound(parseInput(adminInputs.teamRef, (await params).teamId));
  const [members, access] = await Promise.all([readMembers(team.id), getAccessSummary(team.id)]);
  return NextResponse.json(
    { team: teamView(team), members: members.map(memberView), keys: access.keys, subscriptions: access.subscriptions },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});

export const POST = withCaller<Params>("admin", async (request, _caller, { params }) => {
  const ref = parseInput(adminInputs.teamRef, (await params).teamId);
  const { action } = await readJson(request, adminInputs.teamAction);
  const team = await teamOrNotFound(ref);
  return NextResponse.json({ team: teamView(await setTeamDisabled(team, action === "disable")) });
});

export const DELETE = withCaller<Params>("admin", async (request, _caller, { params }) => {
  const ref = parseInput(adminInputs.teamRef, (await params).teamId);
  const { confirm } = await readJson(request, adminInputs.deleteTeam);
  const team = await teamOrNotFound(ref);
  await deleteTeamAsAdmin(team, confirm);
  return new Response(null, { status: 204 });
});
