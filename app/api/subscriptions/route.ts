// GET /api/subscriptions[?team=<slug>] – the caller's (or their team's) subscriptions · POST – subscribe (or switch) to a product's plan
import { NextResponse } from "next/server";
import { listSubscriptions, subscribe, subscribeInput } from "@/lib/access";
import { readJson, teamParam, withCaller } from "@/lib/api/route";
import { spaceFor } from "@/lib/teams";
import { getSubscribeTarget } from "@/lib/catalog/read";

export const GET = withCaller("user", async (request, { user }) => {
  const { owner } = await spaceFor(user, teamParam(request), "view");
  return NextResponse.json({ subscriptions: await listSubscriptions(owner.id) });
});

export const POST = withCaller(
  "user",
  async (request, caller) => {
    const space = await spaceFor(caller.user, teamParam(request), "manageAccess");
    const input = await readJson(request, subscribeInput);
    const target = await getSubscribeTarget(input.product, space.viewer);
    return NextResponse.json({ subscription: await space.act(() => subscribe(space.owner, target, input.ends ? { ends: input.ends } : {})) });
  },
  { limit: "subscriptions" },
);
