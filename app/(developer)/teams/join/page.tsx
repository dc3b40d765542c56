import type { Metadata } from "next";
import Link from "next/link";
import { JoinTeam } from "@/components/teams/join-team";
import { LINK } from "@/components/access/styles";
import { requireUser } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { inviteTokenInput, openInvite, ROLE_LABELS } from "@/lib/teams";

export const metadata: Metadata = { title: "Join a team" };

/** Where an invitation link lands: sign in (or up) with the invited address, then accept or decline. */
export default async function JoinPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = "" } = await searchParams;
  const { user } = await requireUser(`/teams/join?token=${encodeURIComponent(token)}`);
  const parsed = inviteTokenInput.safeParse({ token });
  const opened = parsed.success
    ? await openInvite(parsed.data.token).catch((error: unknown) => {
        if (error instanceof AppError) return error.message;
        throw error;
      })
    : (parsed.error.issues[0]?.message ?? "That invitation link is not complete.");

  return (
    <div className="mx-auto flex max-w-xl flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Join a team</h1>
      {typeof opened === "string" ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          {opened}{" "}
          <Link href="/teams" className={LINK}>
            Your teams
          </Link>
        </p>
      ) : (
        <>
          <p className="text-zinc-700 dark:text-zinc-300">
            You&apos;re invited to <strong>{opened.team.name}</strong> as {ROLE_LABELS[opened.invite.role].toLowerCase()}.
            {opened.invite.invitedBy.email && ` Invited by ${opened.invite.invitedBy.email}.`}
          </p>
          {user.email?.toLowerCase() !== opened.invite.email.toLowerCase() ? (
            <p
              role="alert"
              className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            >
              This invitation is for {opened.invite.email}, and you&apos;re signed in as {user.email}. Sign out and sign in (or sign up) with that address to
              accept it.
            </p>
          ) : (
            <JoinTeam token={token} teamSlug={opened.team.slug} teamName={opened.team.name} />
          )}
        </>
      )}
    </div>
  );
}
