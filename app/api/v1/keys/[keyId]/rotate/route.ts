// POST /api/v1/keys/{keyId}/rotate { grace } – a replacement key now (value returned once); the old one retires after the grace period (scope manage)
import { NextResponse } from "next/server";
import { resourceId, rotateKey, rotateKeyInput } from "@/lib/access";
import { parseInput, readJson, withToken } from "@/lib/api/route";

export const POST = withToken<{ keyId: string }>(
  "manage",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const { grace } = await readJson(request, rotateKeyInput);
    return NextResponse.json(await rotateKey(user, keyId, grace), { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
