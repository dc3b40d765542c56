// POST /api/admin/subscriptions/{userId}/{planId} { decision: approve|reject, reason? } – decide a pending request (the user sees the reason)
import { NextResponse } from "next/server";
import { decideSubscription, resourceId } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { getCatalog, subscribeTargetOf } from "@/lib/catalog/read";
import { adminInputs } from "@/lib/users";

export const POST = withCaller<{ userId: string; planId: string }>("admin", async (request, _caller, { params }) => {
  const raw = await params;
  const planId = parseInput(resourceId, raw.planId);
  const { decision, reason } = await readJson(request, adminInputs.decision);
  const product = (await getCatalog()).products.find((p) => p.plan.id === planId);
  const target = product && subscribeTargetOf(product);
  return NextResponse.json({ subscription: await decideSubscription(parseInput(adminInputs.userId, raw.userId), planId, decision, target, reason) });
});
