import type { Metadata } from "next";
import Link from "next/link";
import { CARD } from "@/components/access/styles";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { requireUser } from "@/lib/auth";
import { readMemberships, ROLE_LABELS } from "@/lib/teams";

export const metadata: Metadata = { title: "Teams" };

/** The teams the person belongs to, and a new one. */
export default async function TeamsPage() {
  const { user } = await requireUser("/teams");
  const teams = (await readMemberships(user.id)).sort((a, b) => a.teamName.localeCompare(b.teamName));
  return (
    <div className="flex max-w-4xl flex-col gap-10">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">Teams</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">
          A team shares API keys, subscriptions and usage between colleagues, so the company&apos;s keys don&apos;t leave with one person. Each member has a
          role; every reveal of a team key is recorded.
        </p>
      </header>
      <section aria-labelledby="your-teams">
        <h2 id="your-teams" className="mb-3 text-xl font-semibold">
          Your teams
        </h2>
        {teams.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            You&apos;re not in a team yet. Create one below, or open an invitation link a colleague sent you.
          </p>
        ) : (
          <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
            {teams.map((team) => (
              <li key={team.teamId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <Link href={`/teams/${team.teamSlug}`} className="focus-ring rounded font-medium hover:underline">
                  {team.teamName}
                </Link>
                <span className="text-sm text-zinc-600 dark:text-zinc-400">{ROLE_LABELS[team.role].split(":")[0]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CreateTeamForm />
    </div>
  );
}
