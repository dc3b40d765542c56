// POST /api/v1/keys/{keyId}/rotate { grace } – a replacement key now (value returned once); the old one retires after the grace period (scope manage)
import { NextResponse } from "next/server";
import { resourceId, rotateKey, rotateKeyInput } from "@/lib/access";
import { parseInput, readJson, withToken } from "@/lib/api/route";
import { tokenSpace } from "@/lib/teams";

export const POST = withToken<{ keyId: string }>(
  "manage",
  async (request, caller, { params }) => {
    const space = await tokenSpace(caller, "manage");
    const keyId = parseInput(resourceId, (await params).keyId);
    const { grace } = await readJson(request, rotateKeyInput);
    return NextResponse.json(await space.act(() => rotateKey(space.owner, keyId, grace)), { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
