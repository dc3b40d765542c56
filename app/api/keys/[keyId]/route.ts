// DELETE /api/keys/{keyId} – revoke one of the caller's keys now
import { resourceId, revokeKey } from "@/lib/access";
import { parseInput, withCaller } from "@/lib/api/route";

export const DELETE = withCaller<{ keyId: string }>("user", async (_request, { user }, { params }) => {
  await revokeKey(user.id, parseInput(resourceId, (await params).keyId));
  return new Response(null, { status: 204 });
});
