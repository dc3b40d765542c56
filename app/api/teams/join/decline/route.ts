// POST /api/teams/join/decline { token } – decline an invitation
import { readJson, withCaller } from "@/lib/api/route";
import { declineInvite, inviteTokenInput } from "@/lib/teams";

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    const { token } = await readJson(request, inviteTokenInput);
    await declineInvite(user, token);
    return new Response(null, { status: 204 });
  },
  { limit: "teams" },
);
