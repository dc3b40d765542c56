import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { JoinTeam } from "@/components/teams/join-team";
import { requireUser } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { INVITE_COOKIE, INVITE_COOKIE_SECONDS, INVITE_LANDING, inviteTokenInput, openInvite, ROLE_LABELS } from "@/lib/teams";

export const metadata: Metadata = { title: "Join a team" };

const NO_INVITATION = `There's no invitation to open here. Open the link in your invitation email again (an opened link is kept for ${INVITE_COOKIE_SECONDS / 60} minutes, in this browser only).`;

/**
 * Where an invitation lands, after /teams/join/open moved its token into a cookie: sign in (or up)
 * with the invited address, then accept or decline. The token is never in this page's URL.
 */
export default async function JoinPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; problem?: string | string[] }> }) {
  const { token: legacy, problem } = await searchParams;
  // Links sent before invitations were emailed carry the token here: through the same landing, before anything else.
  if (legacy !== undefined) redirect(`${INVITE_LANDING}?${new URLSearchParams({ token: [legacy].flat()[0] ?? "" })}`);
  const { user } = await requireUser("/teams/join");
  const token = (await cookies()).get(INVITE_COOKIE)?.value;
  const parsed = inviteTokenInput.safeParse({ token: token ?? "" });
  const opened =
    problem === "incomplete"
      ? "That invitation link is not complete. Open the whole link from the email."
      : !token
        ? NO_INVITATION
        : parsed.success
          ? await openInvite(parsed.data.token).catch((error: unknown) => {
              if (error instanceof AppError) return error.message;
              throw error;
            })
          : NO_INVITATION;

  return (
    <div className="mx-auto flex max-w-xl flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Join a team</h1>
      {typeof opened === "string" ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          {opened} {/* The alert's own colour: the brand link colour is too faint on its dark red. */}
          <Link href="/teams" className="focus-ring rounded font-medium underline underline-offset-4">
            Your teams
          </Link>
        </p>
      ) : (
        <>
          <p className="text-zinc-700 dark:text-zinc-300">
            {`You're invited to ${opened.team.name} as ${ROLE_LABELS[opened.invite.role].toLowerCase()}.`}
            {opened.invite.invitedBy.email && ` Invited by ${opened.invite.invitedBy.email}.`}
          </p>
          {user.email?.toLowerCase() !== opened.invite.email.toLowerCase() ? (
            <p
              role="alert"
              className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            >
              {`This invitation is for ${opened.invite.email}, and you're signed in as ${user.email}. Sign out and sign in (or sign up) with that address to accept it.`}
            </p>
          ) : (
            <JoinTeam teamSlug={opened.team.slug} teamName={opened.team.name} />
          )}
        </>
      )}
    </div>
  );
}
