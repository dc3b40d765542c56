// PATCH /api/keys/{keyId}[?team=<slug>] { name?, expiresAt?, expiresInDays? } – rename one of the caller's keys and/or set its expiry (null: none) · DELETE – revoke it now
import { NextResponse } from "next/server";
import { resourceId, revokeKey, updateKey, updateKeyInput } from "@/lib/access";
import { parseInput, readJson, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const PATCH = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const change = await readJson(request, updateKeyInput);
    return NextResponse.json({ key: await space.act(() => updateKey(space.owner, keyId, change)) });
  },
  { limit: "keys" },
);

export const DELETE = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const keyId = parseInput(resourceId, (await params).keyId);
    await space.act(() => revokeKey(space.owner.id, keyId));
    return new Response(null, { status: 204 });
  },
  { limit: "keys" },
);
