// GET /api/v1/subscriptions – the token's subscriptions (its owner's, or its team's) · POST { product, ends? } – subscribe or switch (scope manage)
import { NextResponse } from "next/server";
import { listSubscriptions, subscribe, subscribeInput } from "@/lib/access";
import { readJson, withToken } from "@/lib/api/route";
import { getSubscribeTarget } from "@/lib/catalog/read";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (_request, caller) => {
  const { owner } = await tokenSpace(caller, "read");
  return NextResponse.json({ subscriptions: await listSubscriptions(owner.id) });
});

export const POST = withToken(
  "manage",
  async (request, caller) => {
    const space = await tokenSpace(caller, "manage");
    const input = await readJson(request, subscribeInput);
    // A person's own token: their groups (as before); a team's: the team's visibility only.
    const target = await getSubscribeTarget(input.product, space.team ? space.viewer : caller);
    return NextResponse.json({ subscription: await space.act(() => subscribe(space.owner, target, input.ends ? { ends: input.ends } : {})) });
  },
  { limit: "subscriptions" },
);
