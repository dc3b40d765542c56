// POST /signin/start – the sign-in page's "Continue to sign in": counted against the per-IP sign-in
// limit (429 with a page saying how long to wait), then off to the managed login
import { NextResponse } from "next/server";
import { assertSameOrigin, withErrors } from "@/lib/api/route";
import { refuseSignInStart } from "@/lib/api/sign-in-limit";
import { safeReturnPath, signIn, signInPath } from "@/lib/auth";

export const POST = withErrors(async (request) => {
  assertSameOrigin(request);
  // Posted by hand it may carry anything, or nothing: then the sign-in returns home.
  const form = await request.formData().catch(() => undefined);
  const returnTo = safeReturnPath(form?.get("callbackUrl"));
  const refused = await refuseSignInStart(request, signInPath(returnTo));
  if (refused) return refused;
  const authorizeUrl: string = await signIn("cognito", { redirect: false, redirectTo: returnTo });
  // 303: the browser follows with a GET, and a reload doesn't post the form again.
  return NextResponse.redirect(authorizeUrl, 303);
});
