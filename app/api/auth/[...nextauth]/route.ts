// GET/POST /api/auth/* – Auth.js (sign-in, callback, sign-out, session)
import type { NextRequest } from "next/server";
import { refuseSignInStart } from "@/lib/api/sign-in-limit";
import { handlers } from "@/lib/auth";

export const { GET } = handlers;

/** POST /api/auth/signin[/provider] starts a sign-in: called directly, it counts against the per-IP sign-in limit too. */
export async function POST(request: NextRequest): Promise<Response> {
  if (/^\/api\/auth\/signin(\/|$)/.test(request.nextUrl.pathname)) {
    const refused = await refuseSignInStart(request);
    if (refused) return refused;
  }
  return handlers.POST(request);
}
