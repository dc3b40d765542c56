// POST /api/keys/{keyId}/rotate – a replacement key now; the old one retires after the grace period
import { NextResponse } from "next/server";
import { resourceId, rotateKey, rotateKeyInput } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";

export const POST = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const { grace } = await readJson(request, rotateKeyInput);
    return NextResponse.json(await rotateKey(user, keyId, grace), { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
