// GET /api/v1/apis – the APIs the token may see (its owner's view, or its team's): base URL, products, docs and Markdown links
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";
import { listApisFor } from "@/lib/consumer/views";
import { tokenSpace } from "@/lib/teams";

export const GET = withToken("read", async (_request, caller) => {
  const space = await tokenSpace(caller, "read");
  return NextResponse.json({ apis: await listApisFor(space.team ? space.viewer : caller) });
});
