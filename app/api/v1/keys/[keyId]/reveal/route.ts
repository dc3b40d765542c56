// POST /api/v1/keys/{keyId}/reveal – a key's value (scope manage; counts as a live read)
import { NextResponse } from "next/server";
import { resourceId, revealKey } from "@/lib/access";
import { parseInput, withToken } from "@/lib/api/route";

export const POST = withToken<{ keyId: string }>(
  "manage",
  async (_request, { user }, { params }) => {
    const value = await revealKey(user.id, parseInput(resourceId, (await params).keyId));
    return NextResponse.json({ value }, { headers: { "Cache-Control": "no-store" } });
  },
  { limit: "liveReads" },
);
