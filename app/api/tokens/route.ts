// GET /api/tokens[?team=<slug>] – the caller's (or their team's) portal tokens · POST { name, scopes, expiresInDays } – create one (value returned once; a team's acts as its maker within their role)
import { NextResponse } from "next/server";
import { readJson, teamParam, withCaller } from "@/lib/api/route";
import { createTeamToken, isTeamSpace, listTeamTokens, spaceFor } from "@/lib/teams";
import { createToken, createTokenInput, listTokens, MAX_TOKENS_PER_USER } from "@/lib/tokens";

export const GET = withCaller("user", async (request, { user }) => {
  const space = await spaceFor(user, teamParam(request), "view");
  const tokens = isTeamSpace(space) ? await listTeamTokens(space, user) : await listTokens(user.id);
  return NextResponse.json({ tokens, maxTokens: MAX_TOKENS_PER_USER }, { headers: { "Cache-Control": "private, no-store" } });
});

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const space = await spaceFor(user, teamParam(request), "view");
    const input = await readJson(request, createTokenInput);
    const created = isTeamSpace(space) ? await createTeamToken(space, user, input) : await createToken(user, input);
    return NextResponse.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "tokens" },
);
