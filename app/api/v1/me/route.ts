// GET /api/v1/me – who the token speaks for, and the token itself (scopes, expiry); a team's token also names the team and the maker's role in it
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (_request, caller) => {
  const { user, token } = caller;
  const { team } = await tokenSpace(caller, "read");
  return NextResponse.json(
    { user: { id: user.id, email: user.email, name: user.name }, token, ...(team ? { team: { slug: team.slug, name: team.name, role: team.role } } : {}) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});
