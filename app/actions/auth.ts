"use server";

import { safeReturnPath, signIn } from "@/lib/auth";

export async function startSignIn(formData: FormData) {
  // Posted by hand it may carry anything, or nothing: then the sign-in returns home.
  const callbackUrl = formData instanceof FormData ? formData.get("callbackUrl") : null;
  await signIn("cognito", { redirectTo: safeReturnPath(callbackUrl) });
}
