// POST /api/marketplace/activate – the signed-in buyer links their AWS Marketplace purchase
// DELETE /api/marketplace/activate – "not my purchase": the waiting purchase is forgotten in this browser
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";
import { getMarketplaceProduct } from "@/lib/catalog/read";
import { AppError } from "@/lib/errors";
import { activatePurchase, forgetLanding, LANDING_COOKIE, LANDING_MESSAGES, readLanding } from "@/lib/marketplace";

export const POST = withCaller(
  "user",
  async (_request, { user }) => {
    const jar = await cookies();
    const handle = jar.get(LANDING_COOKIE)?.value;
    const landing = await readLanding(handle);
    if (!landing || !handle) throw new AppError("not_found", LANDING_MESSAGES.missing);
    const subscription = await activatePurchase(user, landing, await getMarketplaceProduct(landing.productCode));
    await forgetLanding(handle);
    jar.delete(LANDING_COOKIE);
    return NextResponse.json({ subscription });
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
