// GET /api/admin/users/{userId}/tokens – a user's portal tokens · DELETE – revoke all of them (and the team tokens they made)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { listTokens, revokeAllTokens } from "@/lib/tokens";
import { revokeTeamTokensOf } from "@/lib/teams";
import { adminInputs, getProfile } from "@/lib/users";

type Params = { userId: string };

export const GET = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const userId = parseInput(adminInputs.userId, (await params).userId);
  // As GET /api/admin/users/{userId}: a user that doesn't exist is a 404, not an empty list.
  if (!(await getProfile(userId))) throw new AppError("not_found", "There is no such user.");
  return NextResponse.json({ tokens: await listTokens(userId) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const DELETE = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const userId = parseInput(adminInputs.userId, (await params).userId);
  const profile = await getProfile(userId);
  if (!profile) throw new AppError("not_found", "There is no such user.");
  return NextResponse.json({ revoked: (await revokeAllTokens({ id: userId, email: profile.email })) + (await revokeTeamTokensOf(userId)) });
});
