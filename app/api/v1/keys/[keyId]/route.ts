// PATCH /api/v1/keys/{keyId} { name?, expiresAt?, expiresInDays? } – rename a key and/or set its expiry (null: none) · DELETE – revoke it now (scope manage)
import { NextResponse } from "next/server";
import { resourceId, revokeKey, updateKey, updateKeyInput } from "@/lib/access";
import { parseInput, readJson, withToken } from "@/lib/api/route";
import { tokenSpace } from "@/lib/teams";

export const PATCH = withToken<{ keyId: string }>(
  "manage",
  async (request, caller, { params }) => {
    const space = await tokenSpace(caller, "manage");
    const keyId = parseInput(resourceId, (await params).keyId);
    const change = await readJson(request, updateKeyInput);
    return NextResponse.json({ key: await space.act(() => updateKey(space.owner, keyId, change)) });
  },
  { limit: "keys" },
);

export const DELETE = withToken<{ keyId: string }>(
  "manage",
  async (_request, caller, { params }) => {
    const space = await tokenSpace(caller, "manage");
    const keyId = parseInput(resourceId, (await params).keyId);
    await space.act(() => revokeKey(space.owner.id, keyId));
    return new Response(null, { status: 204 });
  },
  { limit: "keys" },
);
