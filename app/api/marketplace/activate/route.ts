// POST /api/marketplace/activate[?team=<slug>] – the signed-in buyer links their AWS Marketplace purchase to themself, or to a team they own or administer
// DELETE /api/marketplace/activate – "not my purchase": the waiting purchase is forgotten in this browser
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { teamParam, withCaller } from "@/lib/api/route";
import { getMarketplaceProduct } from "@/lib/catalog/read";
import { AppError } from "@/lib/errors";
import { activatePurchase, forgetLanding, LANDING_COOKIE, LANDING_MESSAGES, readLanding } from "@/lib/marketplace";
import { spaceFor } from "@/lib/teams";

export const POST = withCaller(
  "user",
  async (request, { user }) => {
    // Whose purchase it is: the buyer's own, or a team's (as its owner or admin; a member or viewer is refused, the purchase left waiting).
    const space = await spaceFor(user, teamParam(request), "manageAccess");
    const jar = await cookies();
    const handle = jar.get(LANDING_COOKIE)?.value;
    const landing = await readLanding(handle);
    if (!landing || !handle) throw new AppError("not_found", LANDING_MESSAGES.missing);
    const product = await getMarketplaceProduct(landing.productCode);
    const subscription = await space.act(() => activatePurchase(space.owner, landing, product));
    await forgetLanding(handle);
    jar.delete(LANDING_COOKIE);
    return NextResponse.json({ subscription, ...(space.team ? { team: space.team.slug } : {}) });
  },
  // Linking a purchase gives the buyer a key on the plan: it counts as a key change.
  { limit: "keys" },
);

export const DELETE = withCaller("user", async () => {
  const jar = await cookies();
  const handle = jar.get(LANDING_COOKIE)?.value;
  if (handle && (await readLanding(handle))) await forgetLanding(handle);
  jar.delete(LANDING_COOKIE);
  return new NextResponse(null, { status: 204 });
});
