// GET /api/teams – the teams the caller belongs to, with their role · POST { name, slug } – a new team, the caller its owner
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { createTeam, createTeamInput, readMemberships } from "@/lib/teams";

export const GET = withCaller("user", async (_request, { user }) =>
  NextResponse.json({
    teams: (await readMemberships(user.id)).map((m) => ({ id: m.teamId, slug: m.teamSlug, name: m.teamName, role: m.role })),
  }),
);

export const POST = withCaller(
  "user",
  async (request, { user, isAdmin }) => {
    const input = await readJson(request, createTeamInput);
    return NextResponse.json({ team: { ...(await createTeam(user, input, { admin: isAdmin })), role: "owner" } }, { status: 201 });
  },
  { limit: "teams" },
);
