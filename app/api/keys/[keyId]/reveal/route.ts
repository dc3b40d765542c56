// POST /api/keys/{keyId}/reveal[?team=<slug>] – the full value of one of the caller's (or their team's: audited, and remembered for rotation when they leave) keys (POST: never cached or prefetched; each one reads API Gateway, so it counts against limits.portal.liveReads)
import { NextResponse } from "next/server";
import { resourceId, revealKey } from "@/lib/access";
import { parseInput, teamParam, withCaller } from "@/lib/api/route";
import { revealTeamKey, spaceFor } from "@/lib/teams";

export const POST = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const { owner, team } = await spaceFor(user, teamParam(request), "reveal");
    const keyId = parseInput(resourceId, (await params).keyId);
    const value = team ? await revealTeamKey(team, keyId, user) : await revealKey(owner.id, keyId);
    return NextResponse.json({ value }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "liveReads" },
);
