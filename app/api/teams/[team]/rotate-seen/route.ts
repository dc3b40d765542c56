// POST /api/teams/{team}/rotate-seen?grace=none|1h|24h|7d – rotate every team key a former member has seen (owners); the old values keep working for the grace period
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { rotateSeenInput, rotateSeenByFormerMembers, spaceFor } from "@/lib/teams";

export const POST = withCaller<{ team: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, (await params).team, "manageTeam");
    const { grace } = parseInput(rotateSeenInput, Object.fromEntries(request.nextUrl.searchParams));
    return NextResponse.json({ rotated: await space.act(() => rotateSeenByFormerMembers(space.team!, grace)) });
  },
  { limit: "teams" },
);
