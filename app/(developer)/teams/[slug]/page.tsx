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
    <SpaceProvider team={{ slug: team.slug, name: team.name, role: team.role }}>
      <div className="flex flex-col gap-12">
        <header>
          <SpaceSwitcher
            current={team.slug}
            teams={memberships.map((m) => ({ slug: m.teamSlug, name: m.teamName })).sort((a, b) => a.name.localeCompare(b.name))}
          />
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
        </header>
        <AccessSections dashboard={dashboard} team={{ role: team.role }} />
        <MembersPanel
          team={{ slug: team.slug, name: team.name, role: team.role }}
          me={caller.user.id}
          members={members.sort((a, b) => a.joinedAt.localeCompare(b.joinedAt)).map(memberView)}
          {...(invites ? { invites } : {})}
          revealed={revealed}
          seenByFormer={seenByFormer}
        />
      </div>
    </SpaceProvider>
  );
}
