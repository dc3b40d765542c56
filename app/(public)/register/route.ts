// GET /register – start an authorization request and land on the managed login's sign-up page (not when invite-only)
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { refuseSignInStart } from "@/lib/api/sign-in-limit";
import { safeReturnPath, signIn, signInPath, toSignUpUrl } from "@/lib/auth";
import { getRegistrationMode } from "@/lib/users";

export async function GET(request: NextRequest) {
  const redirectTo = safeReturnPath(request.nextUrl.searchParams.get("callbackUrl"), "/dashboard");
  // A sign-up start counts against the per-IP sign-in limit: 429 with a page saying how long to wait.
  const refused = await refuseSignInStart(request, signInPath(redirectTo));
  if (refused) return refused;
  if ((await getRegistrationMode()) === "invite") redirect("/signin?error=InviteOnly");
  const authorizeUrl: string = await signIn("cognito", { redirect: false, redirectTo });
  redirect(toSignUpUrl(authorizeUrl));
}
