// GET /api/notifications/preferences – the caller's choices per category and channel · PATCH – change some
import { NextResponse } from "next/server";
import { readJson, withCaller } from "@/lib/api/route";
import { preferencesRequest, readPreferences, updatePreferences } from "@/lib/notifications";

export const GET = withCaller("user", async (_request, { user }) => NextResponse.json({ preferences: await readPreferences(user.id) }));

export const PATCH = withCaller(
  "user",
  async (request, { user }) => {
    const change = await readJson(request, preferencesRequest);
    return NextResponse.json({ preferences: await updatePreferences(user.id, change, { email: user.email }) });
  },
  { limit: "notifications" },
);
