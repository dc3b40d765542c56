// GET /api/v1/apis – the APIs the token's owner may see: base URL, products, docs and Markdown links
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";
import { listApisFor } from "@/lib/consumer/views";

export const GET = withToken("read", async (_request, caller) => NextResponse.json({ apis: await listApisFor(caller) }));
