// POST /api/keys/{keyId}/rotate[?team=<slug>] – a replacement key now; the old one retires after the grace period
import { NextResponse } from "next/server";
import { resourceId, rotateKey, rotateKeyInput } from "@/lib/access";
import { parseInput, readJson, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const POST = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const { grace } = await readJson(request, rotateKeyInput);
    return NextResponse.json(await space.act(() => rotateKey(space.owner, keyId, grace)), { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
