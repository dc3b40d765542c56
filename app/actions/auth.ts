"use server";

import { safeReturnPath, signIn } from "@/lib/auth";

export async function startSignIn(formData: FormData) {
  await signIn("cognito", { redirectTo: safeReturnPath(formData.get("callbackUrl")) });
}
