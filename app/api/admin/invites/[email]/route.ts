// POST   /api/admin/invites/{email} – resend the invitation
// DELETE /api/admin/invites/{email} – cancel it (and the unused sign-in account)
import { NextResponse } from "next/server";
import { parseInput, withCaller } from "@/lib/api/route";
import { adminInputs, cancelInvite, resendInvite } from "@/lib/users";

// Next has decoded the segment already: decoding again would turn `%25` into a URIError (a 500).
type Params = { email: string };

export const POST = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const email = parseInput(adminInputs.inviteEmail, (await params).email);
  return NextResponse.json({ invite: await resendInvite(email) });
});

export const DELETE = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const email = parseInput(adminInputs.inviteEmail, (await params).email);
  await cancelInvite(email);
  return new Response(null, { status: 204 });
});
