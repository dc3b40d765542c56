// DELETE /api/tokens/{tokenId} – revoke one of the caller's portal tokens now
import { parseInput, withCaller } from "@/lib/api/route";
import { revokeToken, tokenId } from "@/lib/tokens";

export const DELETE = withCaller<{ tokenId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    await revokeToken(user, parseInput(tokenId, (await params).tokenId));
    return new Response(null, { status: 204 });
  },
  { limit: "tokens" },
);
