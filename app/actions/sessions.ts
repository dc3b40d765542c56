"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { withAction } from "@/lib/api/action";
import { revokeOtherSessions, revokeSession } from "@/lib/auth/sessions";

const sessionId = z.string({ error: "Choose a session to sign out." }).regex(/^[\w-]{22}$/, "That isn't one of your sessions.");

export const revokeSessionAction = withAction("user", async (form, { user }) => {
  await revokeSession(user.id, sessionId.parse(form.get("sessionId")));
  revalidatePath("/account");
});

export const revokeOtherSessionsAction = withAction("user", async (_form, { user }) => {
  await revokeOtherSessions(user.id);
  revalidatePath("/account");
});
