// POST /api/v1/keys/{keyId}/reveal – a key's value (scope manage; counts as a live read; a team key's reveal is audited with who, and remembered for rotation when they leave)
import { NextResponse } from "next/server";
import { resourceId, revealKey } from "@/lib/access";
import { parseInput, withToken } from "@/lib/api/route";
import { revealTeamKey, tokenSpace } from "@/lib/teams";

export const POST = withToken<{ keyId: string }>(
  "manage",
  async (_request, caller, { params }) => {
    const { owner, team } = await tokenSpace(caller, "manage");
    const keyId = parseInput(resourceId, (await params).keyId);
    const value = team ? await revealTeamKey(team, keyId, caller.user) : await revealKey(owner.id, keyId);
    return NextResponse.json({ value }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "liveReads" },
);
