import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditTable } from "@/components/admin/audit-table";
import { EmptyState, MUTED, PageHeader, SECTION_TITLE, TABLE, TD, TableHead, TableScroll, Time } from "@/components/admin/ui";
import { KeysTable, SubscriptionsTable, UsageSummary } from "@/components/admin/user-profile";
import { LINK } from "@/components/access/styles";
import { getAccessSummary } from "@/lib/access";
import { listAudit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth";
import { personId, readMembers, readReveals } from "@/lib/teams";
import { getProfile } from "@/lib/users";

export const metadata: Metadata = { title: "Team · Admin" };

/** One team for admins: members and roles, keys (and who has seen each), plans, usage and history. DynamoDB only. */
export default async function AdminTeamPage({ params }: { params: Promise<{ teamId: string }> }) {
  const raw = (await params).teamId;
  await requireAdmin(`/admin/teams/${encodeURIComponent(raw)}`);
  const teamId = personId.safeParse(raw).data;
  const profile = teamId ? await getProfile(teamId) : undefined;
  if (!teamId || !profile?.team || profile.status !== "active") notFound();
  const [{ keys, subscriptions }, members, reveals, audit] = await Promise.all([
    getAccessSummary(teamId),
    readMembers(teamId),
    readReveals(teamId),
    listAudit({ userId: teamId, limit: 20 }),
  ]);
  const planNames = Object.fromEntries(subscriptions.map((s) => [s.planId, s.productName]));
  const name = profile.name ?? profile.team.slug;

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
          <span className="font-mono">{profile.team.slug}</span> · created <Time iso={profile.joinedAt} /> UTC
        </PageHeader>
      </div>

      <section aria-labelledby="members-title">
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

      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className={`mb-3 ${SECTION_TITLE}`}>
          API keys
        </h2>
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
