// GET /api/keys[?team=<slug>] – the caller's (or their team's) keys; ?include=teams adds the keys of each team whose keys they may use (the docs' key picker)
// POST { name, expiresAt? | expiresInDays? } – create a named key (value returned once)
import { NextResponse } from "next/server";
import { createKey, createKeyInput, listKeys, maxKeysPerUser } from "@/lib/access";
import { readJson, teamParam, withCaller } from "@/lib/api/route";
import { can, findTeamById, readMemberships, spaceFor } from "@/lib/teams";

export const GET = withCaller("user", async (request, { user }) => {
  const { owner } = await spaceFor(user, teamParam(request), "view");
  const keys = await listKeys(owner.id);
  if (request.nextUrl.searchParams.get("include") !== "teams" || owner.id !== user.id) return NextResponse.json({ keys, maxKeys: maxKeysPerUser() });
  // Reads only the portal's rows: the person's memberships (one Query) and each usable team's keys.
  const usable = (await readMemberships(user.id)).filter((m) => can(m.role, "reveal"));
  // A team an administrator disabled has its keys off: nothing to offer.
  const live = (
    await Promise.all(
      usable.map(async (m) => {
        const team = await findTeamById(m.teamId);
        return team && !team.disabled ? [m] : [];
      }),
    )
  ).flat();
  const teams = await Promise.all(live.map(async (m) => ({ slug: m.teamSlug, name: m.teamName, keys: await listKeys(m.teamId) })));
  return NextResponse.json({ keys, maxKeys: maxKeysPerUser(), teams: teams.sort((a, b) => a.name.localeCompare(b.name)) });
});

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const { name, ...expiry } = await readJson(request, createKeyInput);
    return NextResponse.json(await space.act(() => createKey(space.owner, name, expiry)), { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { limit: "keys" },
);
