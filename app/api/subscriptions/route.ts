// GET /api/subscriptions – the caller's subscriptions · POST – subscribe (or switch) to a product's plan
import { NextResponse } from "next/server";
import { listSubscriptions, subscribe, subscribeInput } from "@/lib/access";
import { readJson, withCaller } from "@/lib/api/route";
import { getSubscribeTarget } from "@/lib/catalog/read";

export const GET = withCaller("user", async (_request, { user }) => NextResponse.json({ subscriptions: await listSubscriptions(user.id) }));

export const POST = withCaller(
  "user",
  async (request, caller) => {
    const input = await readJson(request, subscribeInput);
    const target = await getSubscribeTarget(input.product, caller);
    return NextResponse.json({ subscription: await subscribe(caller.user, target, input.ends ? { ends: input.ends } : {}) });
  },
  { limit: "subscriptions" },
);
