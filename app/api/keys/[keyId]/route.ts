// PATCH /api/keys/{keyId}[?team=<slug>] { name?, expiresAt?, expiresInDays? } – rename one of the caller's keys and/or set its expiry (null: none) · DELETE – revoke it now
import { NextResponse } from "next/server";
import { resourceId, revokeKey, updateKey, updateKeyInput } from "@/lib/access";
import { parseInput, readJson, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const PATCH = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const { owner } = await spaceFor(user, teamParam(request), "manageAccess");
    const change = await readJson(request, updateKeyInput);
    return NextResponse.json({ key: await updateKey(owner, keyId, change) });
  },
  { limit: "keys" },
);

export const DELETE = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const { owner } = await spaceFor(user, teamParam(request), "manageAccess");
    await revokeKey(owner.id, parseInput(resourceId, (await params).keyId));
    return new Response(null, { status: 204 });
  },
  { limit: "keys" },
);
