import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { firstParam, plural } from "@/components/admin/format";
import { AccountStatusBadge, EmptyState, MUTED, PageHeader, TABLE, TD, TableHead, TableScroll, Time } from "@/components/admin/ui";
import { BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { requireAdmin } from "@/lib/auth";
import { readMembers, teamSlugSchema } from "@/lib/teams";
import { adminInputs, listTeams } from "@/lib/users";

export const metadata: Metadata = { title: "Teams · Admin" };

type SearchParams = Record<string, string | string[] | undefined>;
const number = new Intl.NumberFormat("en");

/** Teams, searched and paged in memory from the directory; member counts from the page's teams only. */
export default async function AdminTeamsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/teams");
  const params = await searchParams;
  const q = adminInputs.teamList.shape.q.safeParse(firstParam(params.q) || undefined).data;
  const page = adminInputs.teamList.shape.page.safeParse(firstParam(params.page) || undefined).data;
  // Set by a team's page after an admin deleted it; only ever a slug.
  const deleted = teamSlugSchema.safeParse(firstParam(params.deleted) ?? "").data;
  const list = await listTeams({ ...(q ? { q } : {}), ...(page ? { page } : {}) });
  const members = await Promise.all(list.teams.map((t) => readMembers(t.userId)));
  const caption = `Teams, page ${list.page} of ${list.pages}`;
  const href = (to: number) => `/admin/teams?${new URLSearchParams({ ...(q ? { q } : {}), ...(to > 1 ? { page: String(to) } : {}) })}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Teams">Companies sharing keys, plans and usage. Open a team to see its members, keys and history.</PageHeader>
      {deleted && (
        <p
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
        >
          {`Deleted the team ${deleted}, its keys, subscriptions and memberships. Its slug stays taken.`}
        </p>
      )}
      <Form action="/admin/teams" role="search" aria-label="Teams" className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor="team-search" className="text-sm font-medium">
            Search
          </label>
          <input id="team-search" name="q" type="search" defaultValue={q} placeholder="Name, slug or key id" className={`${INPUT} w-72`} />
        </div>
        <button type="submit" className={PRIMARY_BUTTON}>
          Search
        </button>
        {q && (
          <Link href="/admin/teams" className={`${BUTTON} inline-flex items-center`}>
            Clear
          </Link>
        )}
      </Form>
      <p className={`text-sm ${MUTED}`}>
        {q ? `${plural(list.total, "team")} ${list.total === 1 ? "matches" : "match"} “${q}”` : `${plural(list.total, "team")}`}.
      </p>
      {list.teams.length === 0 ? (
        <EmptyState title={q ? "No teams match" : "No teams yet"}>{q ? "Try another search." : "Teams appear here as developers create them."}</EmptyState>
      ) : (
        <>
          <TableScroll label={caption}>
            <table className={TABLE}>
              <caption className="sr-only">{caption}</caption>
              <TableHead
                columns={[
                  "Team",
                  "Slug",
                  "Created (UTC)",
                  { label: "Members", right: true },
                  "Owners",
                  { label: "Keys", right: true },
                  { label: "Plans", right: true },
                ]}
              />
              <tbody>
                {list.teams.map((team, i) => (
                  <tr key={team.userId}>
                    <th scope="row" className={`${TD} font-medium`}>
                      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                        <Link
                          href={`/admin/teams/${encodeURIComponent(team.team!.slug)}`}
                          className="focus-ring rounded text-brand-700 hover:underline dark:text-brand-500"
                        >
                          {team.name}
                        </Link>
                        {team.status === "disabled" && <AccountStatusBadge status="disabled" />}
                      </span>
                    </th>
                    <td className={`${TD} font-mono`}>{team.team!.slug}</td>
                    <td className={`${TD} whitespace-nowrap`}>
                      <Time iso={team.joinedAt} />
                    </td>
                    <td className={`${TD} text-right tabular-nums`}>{number.format(members[i]!.length)}</td>
                    <td className={`${TD} break-all`}>
                      {members[i]!.filter((m) => m.role === "owner")
                        .map((m) => m.email ?? m.userId)
                        .join(", ")}
                    </td>
                    <td className={`${TD} text-right tabular-nums`}>{number.format(team.keyCount ?? 0)}</td>
                    <td className={`${TD} text-right tabular-nums`}>{number.format(team.plans?.length ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {list.pages > 1 && (
            <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
              {list.page > 1 && (
                <Link href={href(list.page - 1)} className={BUTTON}>
                  Previous
                </Link>
              )}
              <span>
                Page {list.page} of {list.pages}
              </span>
              {list.page < list.pages && (
                <Link href={href(list.page + 1)} className={BUTTON}>
                  Next
                </Link>
              )}
            </nav>
          )}
        </>
      )}
    </div>
  );
}
