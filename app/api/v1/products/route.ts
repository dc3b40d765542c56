// GET /api/v1/products – the products (usage plans) the token may see (its owner's view, or its team's), with their limits
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";
import { listProductsFor } from "@/lib/consumer/views";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (_request, caller) => {
  const space = await tokenSpace(caller, "read");
  return NextResponse.json({ products: await listProductsFor(space.team ? space.viewer : caller) });
});
