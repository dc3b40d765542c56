// POST /api/admin/teams/{teamId}/owners { userId } | { email } – make a member, or any active account, an owner of the team (the owners there were stay)
import { NextResponse } from "next/server";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { appointOwner, teamOrNotFound } from "@/lib/teams";
import { adminInputs, findPersonByEmail, getProfile } from "@/lib/users";

type Params = { teamId: string };

export const POST = withCaller<Params>("admin", async (request, _caller, { params }) => {
  const ref = parseInput(adminInputs.teamRef, (await params).teamId);
  const input = await readJson(request, adminInputs.appointOwner);
  const team = await teamOrNotFound(ref);
  const person = "email" in input ? await findPersonByEmail(input.email) : await getProfile(input.userId);
  if (!person || person.team) throw new AppError("not_found", "email" in input ? `No one has registered with ${input.email}.` : "There is no such person.");
  const result = await appointOwner(team, { id: person.userId, email: person.email, name: person.name });
  return NextResponse.json({ owner: { userId: person.userId, email: person.email, ...result } });
});
