import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AuditTable } from "@/components/admin/audit-table";
import { StatusRegion } from "@/components/admin/status-region";
import { TeamActions } from "@/components/admin/team-actions";
import { AccountStatusBadge, EmptyState, MUTED, PageHeader, SECTION_TITLE, TABLE, TD, TableHead, TableScroll, Time } from "@/components/admin/ui";
import { KeysTable, SubscriptionsTable, UsageSummary } from "@/components/admin/user-profile";
import { LINK } from "@/components/access/styles";
import { getAccessSummary } from "@/lib/access";
import { listAudit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth";
import { findTeamByRef, readMembers, readReveals } from "@/lib/teams";
import { adminInputs, getProfile } from "@/lib/users";

type Params = { teamId: string };

// The team an admin URL names, by id or by slug (/admin/teams/acme): one read per request, shared by the title and the page.
const teamOf = cache(async (raw: string) => {
  const ref = adminInputs.teamRef.safeParse(raw).data;
  const team = ref ? await findTeamByRef(ref) : undefined;
  const profile = team ? await getProfile(team.id) : undefined;
  return team && profile ? { team, profile } : undefined;
});

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { teamId } = await params;
  await requireAdmin(`/admin/teams/${encodeURIComponent(teamId)}`);
  const found = await teamOf(teamId);
  return { title: `${found ? found.team.name : "Team"} · Admin` };
}

/** One team for admins: members and roles, keys (and who has seen each), plans, usage and history, and what an admin can do. DynamoDB only. */
export default async function AdminTeamPage({ params }: { params: Promise<Params> }) {
  const raw = (await params).teamId;
  await requireAdmin(`/admin/teams/${encodeURIComponent(raw)}`);
  const found = await teamOf(raw);
  if (!found) notFound();
  const { team, profile } = found;
  const teamId = team.id;
  const [{ keys, subscriptions }, members, reveals, audit] = await Promise.all([
    getAccessSummary(teamId),
    readMembers(teamId),
    readReveals(teamId),
    listAudit({ userId: teamId, limit: 20 }),
  ]);
  const planNames = Object.fromEntries(subscriptions.map((s) => [s.planId, s.productName]));
  const name = team.name;
  members.sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));

  return (
    <div className="flex flex-col gap-10">
      <div>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm">
          <ol className={`flex flex-wrap gap-2 ${MUTED}`}>
            <li>
              <Link href="/admin/teams" className="focus-ring rounded hover:underline">
                Teams
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="font-medium break-all text-zinc-800 dark:text-zinc-200">
              {name}
            </li>
          </ol>
        </nav>
        <PageHeader title={name}>
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <AccountStatusBadge status={team.disabled ? "disabled" : "active"} />
            <span>
              <span className="font-mono">{team.slug}</span> · created <Time iso={team.createdAt} /> UTC
            </span>
          </span>
        </PageHeader>
        {team.disabled && (
          <p className="mt-4 max-w-3xl rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            An administrator disabled this team: its API keys are off and its members can see it but not change anything. Enable it below to undo this.
          </p>
        )}
      </div>

      <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
        <section aria-labelledby="members-title" className="min-w-0">
          <h2 id="members-title" className={`mb-3 ${SECTION_TITLE}`}>
            Members
          </h2>
          <TableScroll label="Members">
            <table className={TABLE}>
              <caption className="sr-only">{`Members of ${name}`}</caption>
              <TableHead columns={["Member", "Role", "Joined (UTC)", "Team keys seen"]} />
              <tbody>
                {members.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row" className={`${TD} font-medium`}>
                      <Link href={`/admin/users/${m.userId}`} className="focus-ring rounded text-brand-700 hover:underline dark:text-brand-500">
                        {m.email ?? m.userId}
                      </Link>
                    </th>
                    <td className={TD}>{m.role}</td>
                    <td className={`${TD} whitespace-nowrap`}>
                      <Time iso={m.joinedAt} />
                    </td>
                    <td className={TD}>
                      {reveals
                        .filter((r) => r.userId === m.userId)
                        .map((r) => keys.find((k) => k.id === r.keyId)?.name ?? `${r.keyId} (gone)`)
                        .join(", ") || <span className={MUTED}>none</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
        <StatusRegion>
          <TeamActions
            team={{
              id: team.id,
              slug: team.slug,
              name,
              disabled: team.disabled === true,
              members: members.map((m) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role })),
              keys: keys.length,
              subscriptions: subscriptions.filter((s) => s.state === "active" || s.state === "pending").length,
              marketplace: profile.marketplace,
            }}
          />
        </StatusRegion>
      </div>

      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className={`mb-3 ${SECTION_TITLE}`}>
          API keys
        </h2>
        {team.disabled && keys.length > 0 && (
          <p className={`mb-3 text-sm ${MUTED}`}>The team is disabled: these keys are turned off in API Gateway until it is enabled again.</p>
        )}
        <KeysTable keys={keys} planNames={planNames} />
      </section>

      <section aria-labelledby="subscriptions-title">
        <h2 id="subscriptions-title" className={`mb-3 ${SECTION_TITLE}`}>
          Subscriptions
        </h2>
        <SubscriptionsTable subscriptions={subscriptions} />
      </section>

      <section aria-labelledby="usage-title">
        <h2 id="usage-title" className={`mb-3 ${SECTION_TITLE}`}>
          Usage
        </h2>
        <UsageSummary usage={profile.usage ?? []} planNames={planNames} keys={keys} />
      </section>

      <section aria-labelledby="history-title">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="history-title" className={SECTION_TITLE}>
            Recent activity
          </h2>
          <Link href={`/admin/audit?user=${encodeURIComponent(teamId)}`} className={`text-sm ${LINK}`}>
            Full history in the audit log
          </Link>
        </div>
        {audit.entries.length === 0 ? (
          <EmptyState title="Nothing recorded for this team yet" />
        ) : (
          <AuditTable entries={audit.entries} caption={`Recent activity of ${name}`} showUser={false} />
        )}
      </section>
    </div>
  );
}
