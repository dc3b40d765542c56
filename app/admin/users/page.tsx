import type { Metadata } from "next";
import { firstParam, plural } from "@/components/admin/format";
import { EmptyState, MUTED, PageHeader } from "@/components/admin/ui";
import { Pagination, UserSearch, UsersTable, STATUS_FILTERS, type StatusFilter } from "@/components/admin/users-table";
import { requireAdmin } from "@/lib/auth";
import { adminInputs, listUsers } from "@/lib/users";

export const metadata: Metadata = { title: "Users · Admin" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The user directory, searched and paged in memory (no control-plane calls). */
export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/users");
  const params = await searchParams;
  // Each filter on its own, so one bad value (a hand-edited URL) doesn't drop the others.
  const q = adminInputs.userList.shape.q.safeParse(firstParam(params.q) || undefined).data;
  const status = adminInputs.userList.shape.status.safeParse(firstParam(params.status) || undefined).data as StatusFilter | undefined;
  const page = adminInputs.userList.shape.page.safeParse(firstParam(params.page) || undefined).data;
  // Set by the user page after a delete; only ever an email address.
  const deleted = adminInputs.inviteEmail.safeParse(firstParam(params.deleted) ?? "").data;

  const list = await listUsers({ ...(q ? { q } : {}), ...(status ? { status } : {}), ...(page ? { page } : {}) });
  const filtered = Boolean(q || status);
  const statusLabel = STATUS_FILTERS.find((s) => s.value === status)?.label.toLowerCase();
  const summary = filtered
    ? `${plural(list.total, "user")} ${list.total === 1 ? "matches" : "match"}${q ? ` “${q}”` : ""}${statusLabel ? ` (${statusLabel})` : ""}`
    : `${plural(list.total, "user")} in the directory`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Users">
        Everyone with a portal account. Open a user to see their keys, subscriptions and history, or to act on their account.
      </PageHeader>
      {deleted && (
        <p
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
        >
          Deleted {deleted}, their keys, subscriptions and sign-in account.
        </p>
      )}
      <UserSearch {...(q ? { q } : {})} {...(status ? { status } : {})} />
      <p className={`text-sm ${MUTED}`}>{summary}.</p>
      {list.users.length === 0 ? (
        <EmptyState title={filtered ? "No users match" : "No users yet"}>
          {filtered ? "Try another search or status, or clear the filters." : "Accounts appear here as people sign up or accept an invitation."}
        </EmptyState>
      ) : (
        <>
          <UsersTable users={list.users} caption={`Users, page ${list.page} of ${list.pages}`} />
          <Pagination page={list.page} pages={list.pages} total={list.total} query={{ ...(q ? { q } : {}), ...(status ? { status } : {}) }} />
        </>
      )}
    </div>
  );
}
