import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LINK } from "@/components/access/styles";
import { TokenManager } from "@/components/access/token-list";
import { requireUser } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { can, isTeamSpace, listTeamTokens, SCOPE_ACTIONS, spaceFor } from "@/lib/teams";
import { MAX_TOKENS_PER_USER, TOKEN_SCOPES } from "@/lib/tokens";

export const metadata: Metadata = { title: "Team tokens" };

const CODE = "rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800";

/** A team's portal tokens: its members' scripts and agents acting for the team, each within its maker's role. */
export default async function TeamTokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await requireUser(`/teams/${encodeURIComponent(slug)}/tokens`);
  const space = await spaceFor(caller.user, slug, "view").catch((error: unknown) => {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "bad_request")) notFound();
    throw error;
  });
  const team = space.team!;
  const tokens = isTeamSpace(space) ? await listTeamTokens(space, caller.user) : [];
  const now = new Date().toISOString();
  const allowed = TOKEN_SCOPES.filter((scope) => can(team.role, SCOPE_ACTIONS[scope]));

  return (
    <div className="flex max-w-4xl flex-col gap-10">
      <header>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm">
          <ol className="flex flex-wrap gap-2 text-zinc-600 dark:text-zinc-400">
            <li>
              <Link href="/teams" className="focus-ring rounded hover:underline">
                Teams
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li>
              <Link href={`/teams/${encodeURIComponent(team.slug)}`} className="focus-ring rounded hover:underline">
                {team.name}
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="font-medium text-zinc-800 dark:text-zinc-200">
              Portal tokens
            </li>
          </ol>
        </nav>
        <h1 className="text-3xl font-bold tracking-tight">{`Portal tokens for ${team.name}`}</h1>
        <div className="mt-3 flex flex-col gap-2 text-zinc-600 dark:text-zinc-400">
          <p>
            A team token lets a script or an AI agent work with the team&apos;s keys, plans and usage through <code className={CODE}>/api/v1</code> and{" "}
            <code className={CODE}>/mcp</code>. It acts as the member who made it, and never does more than their role allows now: if their role narrows, so
            does the token; if they leave or are removed, their tokens are revoked.
          </p>
          <p>
            Your own tokens are on your{" "}
            <Link href="/dashboard/tokens" className={LINK}>
              dashboard
            </Link>
            .
          </p>
        </div>
      </header>

      <TokenManager
        tokens={tokens}
        maxTokens={MAX_TOKENS_PER_USER}
        now={now}
        team={{ slug: team.slug, name: team.name, role: team.role, allowed, revokesAny: can(team.role, "manageAccess"), personId: caller.user.id }}
      />
    </div>
  );
}
