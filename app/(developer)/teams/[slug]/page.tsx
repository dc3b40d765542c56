import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccessSections } from "@/components/access/access-sections";
import { SpaceProvider } from "@/components/access/space";
import { SpaceSwitcher } from "@/components/access/space-switcher";
import { MembersPanel } from "@/components/teams/members-panel";
import { requireUser } from "@/lib/auth";
import { getDashboard } from "@/lib/dashboard";
import { AppError } from "@/lib/errors";
import { can, listInvites, readMembers, readMemberships, readReveals, ROLE_LABELS, spaceFor } from "@/lib/teams";
import { memberView } from "@/lib/teams/views";

export const metadata: Metadata = { title: "Team" };

/** A team's keys, plans and usage (as the dashboard shows a person's), its members and invitations. */
export default async function TeamPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await requireUser(`/teams/${encodeURIComponent(slug)}`);
  const space = await spaceFor(caller.user, slug, "view").catch((error: unknown) => {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "bad_request")) notFound();
    throw error;
  });
  const team = space.team!;
  // While an administrator has the team disabled its members may only look: every control is shown as to a viewer (the server refuses the rest).
  const acting = team.disabled ? "viewer" : team.role;
  const [dashboard, members, invites, reveals, memberships] = await Promise.all([
    getDashboard(space.viewer, team.id),
    readMembers(team.id),
    can(team.role, "invite") ? listInvites(team) : undefined,
    can(team.role, "manageTeam") ? readReveals(team.id) : [],
    readMemberships(caller.user.id),
  ]);
  const revealed: Record<string, number> = {};
  for (const reveal of reveals) if (!reveal.former) revealed[reveal.userId] = (revealed[reveal.userId] ?? 0) + 1;
  const seenByFormer = new Set(reveals.filter((r) => r.former).map((r) => r.keyId)).size;

  return (
    <SpaceProvider team={{ slug: team.slug, name: team.name, role: acting }}>
      <div className="flex flex-col gap-12">
        <header>
          <SpaceSwitcher current={team.slug} teams={memberships.map((m) => ({ slug: m.teamSlug, name: m.teamName }))} />
          <nav aria-label="Breadcrumb" className="mb-2 text-sm">
            <ol className="flex flex-wrap gap-2 text-zinc-600 dark:text-zinc-400">
              <li>
                <Link href="/teams" className="focus-ring rounded hover:underline">
                  Teams
                </Link>
              </li>
              <li aria-hidden="true">/</li>
              <li aria-current="page">{team.name}</li>
            </ol>
          </nav>
          <h1 className="text-3xl font-bold tracking-tight">{team.name}</h1>
          <p className="mt-2 text-zinc-600 dark:text-zinc-400">
            These are the team&apos;s keys, plans and usage, not yours: everyone in the team sees them. Your role:{" "}
            <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{ROLE_LABELS[team.role]}</strong>.
          </p>
          {team.disabled && (
            <p
              role="status"
              data-testid="team-disabled"
              className="mt-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
            >
              This team has been disabled by an administrator. Its API keys don&apos;t work, and no one in it can change its keys, plans or members until an
              administrator enables it again. You can still see everything here, or leave the team. Contact the portal&apos;s administrators to ask why.
            </p>
          )}
          <p className="mt-2 text-sm">
            <Link
              href={`/teams/${encodeURIComponent(team.slug)}/tokens`}
              className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500"
            >
              Portal tokens
            </Link>
            <span className="text-zinc-600 dark:text-zinc-400"> for the team&apos;s scripts and AI agents</span>
          </p>
        </header>
        <AccessSections dashboard={dashboard} team={{ role: acting }} />
        <MembersPanel
          team={{ slug: team.slug, name: team.name, role: acting }}
          me={caller.user.id}
          members={members.sort((a, b) => a.joinedAt.localeCompare(b.joinedAt)).map(memberView)}
          {...(invites ? { invites } : {})}
          revealed={revealed}
          seenByFormer={seenByFormer}
          {...(team.rotateOnDeparture ? { policy: team.rotateOnDeparture } : {})}
        />
      </div>
    </SpaceProvider>
  );
}
