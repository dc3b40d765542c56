// POST /api/teams/join/decline {} – decline the invitation opened in this browser (or { token })
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { answeredToken, declineInvite, INVITE_COOKIE, inviteAnswerInput } from "@/lib/teams";

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const { token } = await readJson(request, inviteAnswerInput);
    await declineInvite(user, answeredToken(token, request.cookies.get(INVITE_COOKIE)?.value));
    const response = new NextResponse(null, { status: 204 });
    response.cookies.delete(INVITE_COOKIE);
    return response;
  },
  { limit: "teams" },
);
