// POST /api/keys/{keyId}/reveal – the full value of one of the caller's keys (POST: never cached or prefetched; each one reads API Gateway, so it counts against limits.portal.liveReads)
import { NextResponse } from "next/server";
import { resourceId, revealKey } from "@/lib/access";
import { parseInput, withCaller } from "@/lib/api/route";

export const POST = withCaller<{ keyId: string }>(
  "user",
  async (_request, { user }, { params }) => {
    const value = await revealKey(user.id, parseInput(resourceId, (await params).keyId));
    return NextResponse.json({ value }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "liveReads" },
);
