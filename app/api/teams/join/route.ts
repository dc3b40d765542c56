// POST /api/teams/join {} – accept the invitation opened in this browser (its token in the HttpOnly invitation cookie);
// API clients may send { token } instead. Signed in with the invited address.
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { acceptInvite, answeredToken, INVITE_COOKIE, inviteAnswerInput } from "@/lib/teams";

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const { token } = await readJson(request, inviteAnswerInput);
    const { team, role } = await acceptInvite(user, answeredToken(token, request.cookies.get(INVITE_COOKIE)?.value));
    const response = NextResponse.json({ team: { ...team, role } });
    // Used: the cookie has nothing more to do.
    response.cookies.delete(INVITE_COOKIE);
    return response;
  },
  { limit: "teams" },
);
