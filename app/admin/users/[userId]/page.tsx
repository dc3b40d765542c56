import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { AuditTable } from "@/components/admin/audit-table";
import { displayName } from "@/components/admin/format";
import { StatusRegion } from "@/components/admin/status-region";
import { EmptyState, MUTED, PageHeader, SECTION_TITLE, TABLE, TD, TableHead, TableScroll, Time } from "@/components/admin/ui";
import { UserActions } from "@/components/admin/user-actions";
import { KeysTable, ProfileFacts, SubscriptionsTable, UsageSummary } from "@/components/admin/user-profile";
import { UserTokens } from "@/components/admin/user-tokens";
import { LINK } from "@/components/access/styles";
import { getAccessSummary } from "@/lib/access";
import { listAudit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth";
import { readMemberships, teamsOwnedAlone } from "@/lib/teams";
import { listTokens } from "@/lib/tokens";
import { adminInputs, getProfile } from "@/lib/users";

type Params = { userId: string };

// One read per request, shared by the title and the page.
const profileOf = cache(async (raw: string) => {
  const userId = adminInputs.userId.safeParse(raw).data;
  return userId ? getProfile(userId) : undefined;
});

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { userId } = await params;
  await requireAdmin(`/admin/users/${encodeURIComponent(userId)}`);
  const profile = await profileOf(userId);
  return { title: `${profile ? displayName(profile) : "User"} · Admin` };
}

/** One user: who they are, their keys, subscriptions, usage and history, and what an admin can do. */
export default async function AdminUserPage({ params }: { params: Promise<Params> }) {
  const raw = (await params).userId;
  const caller = await requireAdmin(`/admin/users/${encodeURIComponent(raw)}`);
  const profile = await profileOf(raw);
  if (!profile) notFound();
  // Links to "the user" of a team's usage or audit entries land on the team's own page.
  if (profile.team) redirect(`/admin/teams/${encodeURIComponent(profile.team.slug)}`);
  const { userId } = profile;
  // The user's own partition and the audit index: DynamoDB only, no control-plane calls.
  const [{ keys, subscriptions }, audit, tokens, memberships] = await Promise.all([
    getAccessSummary(userId),
    listAudit({ userId, limit: 20 }),
    listTokens(userId),
    readMemberships(userId),
  ]);
  // Deleting someone is refused while they alone own a team: those are named, with the way out.
  const ownedAlone = new Set((await teamsOwnedAlone(userId, memberships)).map((m) => m.teamId));
  // Read once here, so the server's HTML and the browser agree on which tokens have expired.
  const now = new Date().toISOString();
  const planNames = Object.fromEntries(subscriptions.map((s) => [s.planId, s.productName]));
  const who = displayName(profile);

  return (
    <div className="flex flex-col gap-10">
      <div>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm">
          <ol className={`flex flex-wrap gap-2 ${MUTED}`}>
            <li>
              <Link href="/admin/users" className="focus-ring rounded hover:underline">
                Users
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className="font-medium break-all text-zinc-800 dark:text-zinc-200">
              {who}
            </li>
          </ol>
        </nav>
        <PageHeader title={who}>{profile.name && profile.email ? profile.name : null}</PageHeader>
      </div>

      <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
        <section aria-labelledby="profile-title">
          <h2 id="profile-title" className={`mb-3 ${SECTION_TITLE}`}>
            Profile
          </h2>
          <ProfileFacts profile={profile} />
        </section>
        <StatusRegion>
          <UserActions
            user={{ userId: profile.userId, email: profile.email, name: profile.name, status: profile.status, admin: profile.admin }}
            self={caller.user.id === profile.userId}
          />
        </StatusRegion>
      </div>

      <section aria-labelledby="teams-title">
        <h2 id="teams-title" className={`mb-3 ${SECTION_TITLE}`}>
          Teams
        </h2>
        {memberships.length === 0 ? (
          <EmptyState title="Not in any team" />
        ) : (
          <>
            {ownedAlone.size > 0 && (
              <p className={`mb-3 text-sm ${MUTED}`}>
                {`${who} alone owns ${ownedAlone.size === 1 ? "a team" : `${ownedAlone.size} teams`}: deleting this user is refused until each has another owner or is deleted. Open the team to make someone else an owner, or to delete it.`}
              </p>
            )}
            <TableScroll label="Teams">
              <table className={TABLE}>
                <caption className="sr-only">{`Teams ${who} belongs to`}</caption>
                <TableHead columns={["Team", "Slug", "Role", "Joined (UTC)"]} />
                <tbody>
                  {memberships.map((m) => (
                    <tr key={m.teamId}>
                      <th scope="row" className={`${TD} min-w-36 font-medium`}>
                        <Link href={`/admin/teams/${encodeURIComponent(m.teamSlug)}`} className={LINK}>
                          {m.teamName}
                        </Link>
                      </th>
                      <td className={`${TD} font-mono`}>{m.teamSlug}</td>
                      <td className={TD}>
                        <span className="flex flex-wrap items-center gap-1">
                          {m.role}
                          {ownedAlone.has(m.teamId) && (
                            <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                              Only owner
                            </span>
                          )}
                        </span>
                      </td>
                      <td className={`${TD} whitespace-nowrap`}>
                        <Time iso={m.joinedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </section>

      <section aria-labelledby="keys-title">
        <h2 id="keys-title" className={`mb-3 ${SECTION_TITLE}`}>
          API keys
        </h2>
        <KeysTable keys={keys} planNames={planNames} />
      </section>

      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title" className={`mb-1 ${SECTION_TITLE}`}>
          Portal tokens
        </h2>
        <p className={`mb-3 text-sm ${MUTED}`}>
          What this user&apos;s scripts and AI agents use for the consumer API and the MCP server. Values are never shown.
        </p>
        <StatusRegion>
          <UserTokens userId={userId} who={who} tokens={tokens} now={now} />
        </StatusRegion>
      </section>

      <section aria-labelledby="subscriptions-title">
        <h2 id="subscriptions-title" className={`mb-3 ${SECTION_TITLE}`}>
          Subscriptions
        </h2>
        <SubscriptionsTable subscriptions={subscriptions} />
        {subscriptions.some((s) => s.state === "pending") && (
          <p className={`mt-2 text-sm ${MUTED}`}>
            Decide pending requests on the{" "}
            <Link href="/admin/approvals" className={LINK}>
              Approvals
            </Link>{" "}
            page.
          </p>
        )}
      </section>

      <section aria-labelledby="usage-title">
        <h2 id="usage-title" className={`mb-1 ${SECTION_TITLE}`}>
          Usage
        </h2>
        <p className={`mb-3 text-sm ${MUTED}`}>As last stored for this user; the time of each reading is in the last column.</p>
        <UsageSummary usage={profile.usage ?? []} planNames={planNames} keys={keys} />
      </section>

      <section aria-labelledby="history-title">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="history-title" className={SECTION_TITLE}>
            Recent activity
          </h2>
          <Link href={`/admin/audit?user=${encodeURIComponent(userId)}`} className={`text-sm ${LINK}`}>
            Full history in the audit log
          </Link>
        </div>
        {audit.entries.length === 0 ? (
          <EmptyState title="Nothing recorded for this user yet" />
        ) : (
          <AuditTable entries={audit.entries} caption={`Recent activity of ${who}`} showUser={false} />
        )}
      </section>
    </div>
  );
}
