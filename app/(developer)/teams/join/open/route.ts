// GET /teams/join/open?token= – where an invitation email's link lands: the token moves into a short-lived HttpOnly
// cookie and the browser goes on to /teams/join without it (old /teams/join?token= links are sent here too).
import { NextResponse, type NextRequest } from "next/server";
import { siteUrl } from "@/lib/config";
import { INVITE_COOKIE, INVITE_COOKIE_SECONDS, inviteTokenInput } from "@/lib/teams";

const JOIN = "/teams/join";

/**
 * The token is only checked for its shape here (the join page checks it against the invitation):
 * what matters is that it leaves the URL at once, so it never reaches a sign-in callbackUrl, the
 * browser's history, a Referer header or the access logs of the pages that follow.
 */
export function GET(request: NextRequest): Response {
  const parsed = inviteTokenInput.safeParse({ token: request.nextUrl.searchParams.get("token") ?? "" });
  const url = new URL(JOIN, siteUrl());
  if (!parsed.success) url.searchParams.set("problem", "incomplete");
  // 303: a plain GET of the join page, whatever brought the browser here.
  const response = NextResponse.redirect(url, 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  if (parsed.success)
    response.cookies.set(INVITE_COOKIE, parsed.data.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: new URL(siteUrl()).protocol === "https:",
      path: "/",
      maxAge: INVITE_COOKIE_SECONDS,
    });
  else response.cookies.delete(INVITE_COOKIE);
  return response;
}
