// GET /api/admin/teams?q=&page= – teams (active or disabled), searched by name, slug or key id, newest first (from the directory: no control-plane calls)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { adminInputs, listTeams } from "@/lib/users";

export const GET = withCaller("admin", async (request) => {
  const query = parseInput(adminInputs.teamList, Object.fromEntries(request.nextUrl.searchParams));
  const list = await listTeams(query);
  return NextResponse.json(
    {
      ...list,
      teams: list.teams.map((t) => ({
        id: t.userId,
        slug: t.team!.slug,
        name: t.name,
        status: t.status,
        createdAt: t.joinedAt,
        keyCount: t.keyCount,
        plans: t.plans,
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});
