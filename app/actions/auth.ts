"use server";

import { redirect } from "next/navigation";
import { cognitoLogoutUrl, safeReturnPath, signIn, signOut } from "@/lib/auth";

export async function startSignIn(formData: FormData) {
  await signIn("cognito", { redirectTo: safeReturnPath(formData.get("callbackUrl")) });
}

/** Ends the portal session, then Cognito's, so the next sign-in asks for a password again. */
export async function signOutEverywhere() {
  await signOut({ redirect: false });
  redirect(cognitoLogoutUrl());
}
