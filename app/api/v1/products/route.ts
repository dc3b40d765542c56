// GET /api/v1/products – the products (usage plans) the token's owner may see, with their limits
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";
import { listProductsFor } from "@/lib/consumer/views";

export const GET = withToken("read", async (_request, caller) => NextResponse.json({ products: await listProductsFor(caller) }));
