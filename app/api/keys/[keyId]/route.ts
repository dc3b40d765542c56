// PATCH /api/keys/{keyId} { name?, expiresAt?, expiresInDays? } – rename one of the caller's keys and/or set its expiry (null: none) · DELETE – revoke it now
import { NextResponse } from "next/server";
import { resourceId, revokeKey, updateKey, updateKeyInput } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";

export const PATCH = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const change = await readJson(request, updateKeyInput);
    return NextResponse.json({ key: await updateKey(user, keyId, change) });
  },
  { limit: "keys" },
);

export const DELETE = withCaller<{ keyId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    await revokeKey(user.id, parseInput(resourceId, (await params).keyId));
    return new Response(null, { status: 204 });
  },
  { limit: "keys" },
);
