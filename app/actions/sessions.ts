"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { assertCaller } from "@/lib/auth";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";

export async function revokeSessionAction(formData: FormData) {
  const caller = await assertCaller("user");
  const id = z.string().regex(/^[\w-]{22}$/).parse(formData.get("sessionId"));
  await revokeSession(caller.user.id, id);
  revalidatePath("/account");
}

export async function revokeOtherSessionsAction() {
  const caller = await assertCaller("user");
  await revokeOtherSessions(caller.user.id);
  revalidatePath("/account");
}
