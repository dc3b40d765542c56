// GET /api/v1/subscriptions – the token owner's subscriptions · POST { product, ends? } – subscribe or switch (scope manage)
import { NextResponse } from "next/server";
import { listSubscriptions, subscribe, subscribeInput } from "@/lib/access";
import { readJson, withToken } from "@/lib/api/route";
import { getSubscribeTarget } from "@/lib/catalog/read";

export const GET = withToken("read", async (_request, { user }) => NextResponse.json({ subscriptions: await listSubscriptions(user.id) }));

export const POST = withToken(
  "manage",
  async (request, caller) => {
    const input = await readJson(request, subscribeInput);
    const target = await getSubscribeTarget(input.product, caller);
    return NextResponse.json({ subscription: await subscribe(caller.user, target, input.ends ? { ends: input.ends } : {}) });
  },
  { limit: "subscriptions" },
);
