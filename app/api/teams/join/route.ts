// POST /api/teams/join { token } – accept an invitation (signed in with the invited address)
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { acceptInvite, inviteTokenInput } from "@/lib/teams";

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const { token } = await readJson(request, inviteTokenInput);
    const { team, role } = await acceptInvite(user, token);
    return NextResponse.json({ team: { ...team, role } });
  },
  { limit: "teams" },
);
