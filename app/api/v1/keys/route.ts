// GET /api/v1/keys – the token's keys (its owner's, or its team's; never their values) · POST { name, expiresAt? | expiresInDays? } – create a key (value returned once; scope manage)
import { NextResponse } from "next/server";
import { createKey, createKeyInput, listKeys, maxKeysPerUser } from "@/lib/access";
import { readJson, withToken } from "@/lib/api/route";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (_request, caller) => {
  const { owner } = await tokenSpace(caller, "read");
  return NextResponse.json({ keys: await listKeys(owner.id), maxKeys: maxKeysPerUser() });
});

export const POST = withToken(
  "manage",
  async (request, caller) => {
    const space = await tokenSpace(caller, "manage");
    const { name, ...expiry } = await readJson(request, createKeyInput);
    return NextResponse.json(await space.act(() => createKey(space.owner, name, expiry)), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
