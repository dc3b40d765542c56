// GET /api/v1/me – who the token speaks for, and the token itself (scopes, expiry)
import { NextResponse } from "next/server";
import { withToken } from "@/lib/api/route";

export const GET = withToken("read", async (_request, { user, token }) =>
  NextResponse.json({ user: { id: user.id, email: user.email, name: user.name }, token }, { headers: { "Cache-Control": "private, no-store" } }),
);
