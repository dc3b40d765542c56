// GET /register – start an authorization request and land on the managed login's sign-up page
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { safeReturnPath, signIn, toSignUpUrl } from "@/lib/auth";

export async function GET(request: NextRequest) {
  const redirectTo = safeReturnPath(request.nextUrl.searchParams.get("callbackUrl"), "/dashboard");
  const authorizeUrl: string = await signIn("cognito", { redirect: false, redirectTo });
  redirect(toSignUpUrl(authorizeUrl));
}
