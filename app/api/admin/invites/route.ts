// POST /api/admin/invites { email, name? } – Cognito e-mails them a temporary password
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { adminInputs, inviteUser } from "@/lib/users";

export const POST = withCaller("admin", async (request, caller) => {
  const input = await readJson(request, adminInputs.invite);
  return NextResponse.json({ invite: await inviteUser(input, caller.user) }, { status: 201 });
});
