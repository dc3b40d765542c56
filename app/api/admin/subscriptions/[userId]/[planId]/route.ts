// POST /api/admin/subscriptions/{userId}/{planId} { decision: approve|reject } – decide a pending request
import { NextResponse } from "next/server";
import { z } from "zod";
import { decideInput, decideSubscription, resourceId } from "@/lib/access";
import { parseInput, readJson, withCaller } from "@/lib/api/route";
import { getCatalog } from "@/lib/catalog";

const userId = z.string().regex(/^[\w-]{1,128}$/, "That isn't a user id.");

export const POST = withCaller<{ userId: string; planId: string }>("admin", async (request, _caller, { params }) => {
  const raw = await params;
  const planId = parseInput(resourceId, raw.planId);
  const { decision } = await readJson(request, decideInput);
  const product = (await getCatalog()).products.find((p) => p.plan.id === planId);
  const target = product && { planId, productSlug: product.slug, productName: product.name, approvalRequired: true, apiStages: product.plan.apiStages };
  return NextResponse.json({ subscription: await decideSubscription(parseInput(userId, raw.userId), planId, decision, target) });
});
