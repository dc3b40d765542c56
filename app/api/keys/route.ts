// GET /api/keys[?team=<slug>] – the caller's (or their team's) keys · POST { name, expiresAt? | expiresInDays? } – create a named key (value returned once)
import { NextResponse } from "next/server";
import { createKey, createKeyInput, listKeys, maxKeysPerUser } from "@/lib/access";
import { readJson, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";

export const GET = withCaller("user", async (request, { user }) => {
  const { owner } = await spaceFor(user, teamParam(request), "view");
  return NextResponse.json({ keys: await listKeys(owner.id), maxKeys: maxKeysPerUser() });
});

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const { name, ...expiry } = await readJson(request, createKeyInput);
    return NextResponse.json(await space.act(() => createKey(space.owner, name, expiry)), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
