// PATCH /api/v1/keys/{keyId} { name } – rename a key · DELETE – revoke it now (scope manage)
import { NextResponse } from "next/server";
import { renameKey, renameKeyInput, resourceId, revokeKey } from "@/lib/access";
import { parseInput, readJson, withToken } from "@/lib/api/route";

export const PATCH = withToken<{ keyId: string }>(
  "manage",
  async (request, { user }, { params }) => {
    const keyId = parseInput(resourceId, (await params).keyId);
    const { name } = await readJson(request, renameKeyInput);
    return NextResponse.json({ key: await renameKey(user, keyId, name) });
  },
  { limit: "keys" },
);

export const DELETE = withToken<{ keyId: string }>(
  "manage",
  async (_request, { user }, { params }) => {
    await revokeKey(user.id, parseInput(resourceId, (await params).keyId));
    return new Response(null, { status: 204 });
  },
  { limit: "keys" },
);
