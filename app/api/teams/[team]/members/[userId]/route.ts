// PATCH /api/teams/{team}/members/{userId} { role } – change someone's role (owners)
// DELETE ?rotateRevealed=true|false&grace=none|1h|24h|7d – remove them (owners); the team keys they had seen are listed, and rotated when asked
import { NextResponse } from "next/server";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { changeRole, changeRoleInput, personId, removeMember, removeMemberInput, spaceFor } from "@/lib/teams";
import { memberView } from "@/lib/teams/views";

export const PATCH = withCaller<{ team: string; userId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const { team: slug, userId } = await params;
    const space = await spaceFor(user, slug, "manageTeam");
    const team = space.team!;
    const { role } = await readJson(request, changeRoleInput);
    const target = parseInput(personId, userId);
    return NextResponse.json({ member: memberView(await space.act(() => changeRole(team, team, target, role))) });
  },
  { limit: "teams" },
);

export const DELETE = withCaller<{ team: string; userId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const { team: slug, userId } = await params;
    const space = await spaceFor(user, slug, "manageTeam");
    const options = parseInput(removeMemberInput, Object.fromEntries(request.nextUrl.searchParams));
    const target = parseInput(personId, userId);
    const removal = await space.act(() => removeMember(space.team!, target, options));
    return NextResponse.json({
      member: memberView(removal.member),
      revealed: removal.revealed,
      revokedTokens: removal.revokedTokens,
      rotation: removal.rotation,
    });
  },
  { limit: "teams" },
);
