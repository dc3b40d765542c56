// PATCH /api/keys/{keyId} { name } – rename one of the caller's keys · DELETE – revoke it now
import { NextResponse } from "next/server";
import { renameKey, renameKeyInput, resourceId, revokeKey } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";

export const PATCH = withCaller<{ keyId: string }>(
  "user",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const { name } = await readJson(request, renameKeyInput);
    return NextResponse.json({ key: await renameKey(user, keyId, name) });
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
