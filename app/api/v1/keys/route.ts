// GET /api/v1/keys – the token owner's keys (never their values) · POST { name, expiresAt? | expiresInDays? } – create a key (value returned once; scope manage)
import { NextResponse } from "next/server";
import { createKey, createKeyInput, listKeys, maxKeysPerUser } from "@/lib/access";
import { readJson, withToken } from "@/lib/api/route";

export const GET = withToken("read", async (_request, { user }) => NextResponse.json({ keys: await listKeys(user.id), maxKeys: maxKeysPerUser() }));

export const POST = withToken(
  "manage",
  async (request, caller) => {
    const { name, ...expiry } = await readJson(request, createKeyInput);
    return NextResponse.json(await createKey(caller.user, name, expiry), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
