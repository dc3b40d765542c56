import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { ADMIN_GROUP } from "../constants";
import { AppError } from "../errors";
import { auth } from "./auth";
import { SESSION_COOKIES } from "./sessions";
import { signInPath } from "./urls";

export { ADMIN_GROUP } from "../constants";

export interface Caller {
  user: { id: string; name: string | null; email: string | null; groups: string[] } | null;
  isAdmin: boolean;
}

/** Who is calling and what they may do — for server components, route handlers and actions. */
export const getCaller = cache(async (): Promise<Caller> => {
  // No session cookie, no session: skip Auth.js's whole request cycle (most docs views are anonymous).
  const jar = await cookies();
  if (!SESSION_COOKIES.some((name) => jar.has(name))) return ANONYMOUS;
  const session = await auth();
  const user = session?.user?.id
    ? { id: session.user.id, name: session.user.name ?? null, email: session.user.email ?? null, groups: session.user.groups ?? [] }
    : null;
  return { user, isAdmin: !!user?.groups.includes(ADMIN_GROUP) };
});

const ANONYMOUS: Caller = Object.freeze({ user: null, isAdmin: false });

type SignedIn = Caller & { user: NonNullable<Caller["user"]> };

/** Pages: signed-in callers only; others go to sign-in and come back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SignedIn> {
  const caller = await getCaller();
  if (!caller.user) redirect(signInPath(returnTo));
  return caller as SignedIn;
}

/** Pages: admins only (403 page for everyone else signed in). */
export async function requireAdmin(returnTo: string): Promise<SignedIn> {
  const caller = await requireUser(returnTo);
  if (!caller.isAdmin) forbidden();
  return caller;
}

/** Route handlers and server actions: throws the AppError the caller should see. */
export async function assertCaller(role: "user" | "admin"): Promise<SignedIn> {
  const caller = await getCaller();
  if (!caller.user) throw new AppError("unauthorized", "Sign in to continue.");
  if (role === "admin" && !caller.isAdmin) throw new AppError("forbidden", "This needs an administrator.");
  return caller as SignedIn;
}
