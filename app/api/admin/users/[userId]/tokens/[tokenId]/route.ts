// DELETE /api/admin/users/{userId}/tokens/{tokenId} – revoke one of a user's portal tokens
import { parseInput, withCaller } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import { revokeToken, tokenId } from "@/lib/tokens";
import { adminInputs, getProfile } from "@/lib/users";

type Params = { userId: string; tokenId: string };

export const DELETE = withCaller<Params>("admin", async (_request, _caller, { params }) => {
  const { userId: rawUserId, tokenId: rawTokenId } = await params;
  const userId = parseInput(adminInputs.userId, rawUserId);
  const profile = await getProfile(userId);
  if (!profile) throw new AppError("not_found", "There is no such user.");
  await revokeToken({ id: userId, email: profile.email }, parseInput(tokenId, rawTokenId));
  return new Response(null, { status: 204 });
});
