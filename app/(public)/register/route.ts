// GET /register – start an authorization request and land on the managed login's sign-up page (not when invite-only)
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { safeReturnPath, signIn, toSignUpUrl } from "@/lib/auth";
import { getRegistrationMode } from "@/lib/users";

export async function GET(request: NextRequest) {
  if ((await getRegistrationMode()) === "invite") redirect("/signin?error=InviteOnly");
  const redirectTo = safeReturnPath(request.nextUrl.searchParams.get("callbackUrl"), "/dashboard");
  const authorizeUrl: string = await signIn("cognito", { redirect: false, redirectTo });
  redirect(toSignUpUrl(authorizeUrl));
}
