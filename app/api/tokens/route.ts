// GET /api/tokens – the caller's portal tokens · POST { name, scopes, expiresInDays } – create one (value returned once)
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { createToken, createTokenInput, listTokens, MAX_TOKENS_PER_USER } from "@/lib/tokens";

export const GET = withCaller("user", async (_request, { user }) =>
  NextResponse.json({ tokens: await listTokens(user.id), maxTokens: MAX_TOKENS_PER_USER }, { headers: { "Cache-Control": "private, no-store" } }),
);

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const input = await readJson(request, createTokenInput);
    return NextResponse.json(await createToken(user, input), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "tokens" },
);
