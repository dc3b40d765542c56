// GET /api/keys – the caller's keys · POST /api/keys { name, expiresAt? | expiresInDays? } – create a named key (value returned once)
import { NextResponse } from "next/server";
import { createKey, createKeyInput, listKeys, maxKeysPerUser } from "@/lib/access";
import { readJson, withCaller } from "@/lib/api/route";

export const GET = withCaller("user", async (_request, { user }) => NextResponse.json({ keys: await listKeys(user.id), maxKeys: maxKeysPerUser() }));

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const { name, ...expiry } = await readJson(request, createKeyInput);
    return NextResponse.json(await createKey(user, name, expiry), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
