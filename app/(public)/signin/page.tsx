import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getCaller, safeReturnPath } from "@/lib/auth";
import { pageMetadata } from "@/lib/catalog/sitemap";
import { INVITE_COOKIE, inviteTokenInput, openInvite } from "@/lib/teams";

export function generateMetadata(): Metadata {
  return pageMetadata({ path: "/signin", title: "Sign in", description: "Sign in to get API keys, subscribe to plans and see your usage." });
}

/** Auth.js error codes, in words people can act on. */
const ERRORS: Record<string, string> = {
  AccessDenied: "Your account is not allowed to sign in here.",
  InviteOnly: "This portal is invite-only. If you were invited, sign in with the temporary password from your invitation email.",
  Verification: "That sign-in link has expired. Please sign in again.",
  // Auth.js reports failed callbacks (expired or foreign state, a bad code) as Configuration.
  Configuration: "We could not complete your sign-in. Please start again.",
};
const DEFAULT_ERROR = "We could not sign you in. Please try again.";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeReturnPath(callbackUrl, "/dashboard");
  if ((await getCaller()).user) redirect(returnTo);
  const invitation = returnTo === "/teams/join" ? await openedInvitation() : undefined;
  return (
    <div className="mx-auto max-w-md rounded-xl border border-zinc-200 p-8 shadow-sm dark:border-zinc-800">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {invitation ? (
        <p data-testid="signin-invitation" className="mt-2 text-zinc-700 dark:text-zinc-300">
          {`You're invited to join ${invitation.team} as ${invitation.role === "admin" ? "an" : "a"} ${invitation.role}. Sign in with ${invitation.email} to accept — or, if you don't have an account yet, create one with that address.`}
        </p>
      ) : (
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">Sign in to get API keys, subscribe to plans and see your usage.</p>
      )}
      {error && (
        <p
          role="alert"
          data-testid="signin-error"
          className="mt-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {Object.hasOwn(ERRORS, error) ? ERRORS[error] : DEFAULT_ERROR}
        </p>
      )}
      {/* A plain form post: /signin/start answers 429 with a readable page when this network starts too many sign-ins. */}
      <form method="post" action="/signin/start" className="mt-6">
        <input type="hidden" name="callbackUrl" value={returnTo} />
        <button type="submit" className="focus-ring w-full rounded-md bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700">
          Continue to sign in
        </button>
      </form>
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here? {/* A plain link: /register redirects to the sign-up page elsewhere, which a client-side navigation can't follow. */}
        <a
          href={`/register?callbackUrl=${encodeURIComponent(returnTo)}`}
          className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
        >
          Create an account
        </a>
      </p>
    </div>
  );
}

/**
 * The invitation this browser opened (its token in the HttpOnly cookie the landing set), when it is still valid: the
 * page names its team only to whoever holds the token, which is what the invitation email gave them.
 */
async function openedInvitation(): Promise<{ team: string; role: string; email: string } | undefined> {
  const parsed = inviteTokenInput.safeParse({ token: (await cookies()).get(INVITE_COOKIE)?.value ?? "" });
  if (!parsed.success) return undefined;
  const opened = await openInvite(parsed.data.token).catch(() => undefined);
  return opened && { team: opened.team.name, role: opened.invite.role, email: opened.invite.email };
}
