// GET /api/me – who is calling
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/api/route";

export const GET = withCaller("user", async (_request, caller) => NextResponse.json({ user: caller.user, isAdmin: caller.isAdmin }));
