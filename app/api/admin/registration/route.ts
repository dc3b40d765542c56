// GET /api/admin/registration – the mode, invitations and accounts waiting for approval
// PUT /api/admin/registration { mode: open|invite|approval }
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { adminInputs, getRegistrationMode, listInvites, listUsers, setRegistrationMode } from "@/lib/users";

export const GET = withCaller("admin", async () => {
  const [mode, invites, pending] = await Promise.all([getRegistrationMode(), listInvites(), listUsers({ status: "pending", pageSize: 1_000 })]);
  return NextResponse.json({ mode, invites, pendingUsers: pending.users }, { headers: { "Cache-Control": "private, no-store" } });
});

export const PUT = withCaller("admin", async (request) => {
  const { mode } = await readJson(request, adminInputs.registration);
  await setRegistrationMode(mode);
  return NextResponse.json({ mode });
});
