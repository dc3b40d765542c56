// GET    /api/admin/users/{userId} – profile, keys and subscriptions
// POST   /api/admin/users/{userId} { action } – disable | enable | approve | grant-admin | remove-admin | revoke-sessions
// DELETE /api/admin/users/{userId} { confirm: <their email> } – delete the user and everything they own
import { NextResponse } from "next/server";
import { getAccessSummary } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { adminInputs, applyUserAction, deleteUser, getProfile } from "@/lib/users";

type Params = { userId: string };

export const GET = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const userId = parseInput(adminInputs.userId, (await params).userId);
  const profile = await getProfile(userId);
  if (!profile) throw new AppError("not_found", "There is no such user.");
  return NextResponse.json({ profile, ...(await getAccessSummary(userId)) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const POST = withCaller<Params>("admin", async (request, caller, { params }) => {
  const userId = parseInput(adminInputs.userId, (await params).userId);
  const { action } = await readJson(request, adminInputs.userAction);
  return NextResponse.json({ profile: await applyUserAction(userId, action, caller.user) });
});

export const DELETE = withCaller<Params>("admin", async (request, caller, { params }) => {
  const userId = parseInput(adminInputs.userId, (await params).userId);
  const { confirm } = await readJson(request, adminInputs.deleteUser);
  await deleteUser(userId, caller.user, confirm);
  return new Response(null, { status: 204 });
});
