import { NextResponse } from "next/server";
import { assertSameOrigin, withErrors } from "@/lib/api/route";
import { cognitoLogoutUrl, signOut } from "@/lib/auth";

/**
 * The account menu's "Sign out" (a plain form, so it works on the docs pages too): ends the portal
 * session, then Cognito's, so the next sign-in asks for a password again.
 */
export const POST = withErrors(async (request) => {
  assertSameOrigin(request);
  await signOut({ redirect: false });
  return NextResponse.redirect(cognitoLogoutUrl(), 303);
});
