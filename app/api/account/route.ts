// DELETE /api/account – delete the caller's keys, rows, sessions and sign-in account (confirmed by email); they leave their teams first
import { assertDeletionConfirmed, deleteAccount, deleteAccountInput } from "@/lib/access";
import { readJson, withCaller } from "@/lib/api/route";
import { getConfig } from "@/lib/config";
import { leaveAllTeams } from "@/lib/teams";

export const DELETE = withCaller("user", async (request, { user }) => {
  const { confirm } = await readJson(request, deleteAccountInput);
  assertDeletionConfirmed(user, confirm);
  await leaveAllTeams(user.id);
  await deleteAccount({ ...user, userPoolId: getConfig().COGNITO_USER_POOL_ID }, confirm);
  return new Response(null, { status: 204 });
});
