import Form from "next/form";
import Link from "next/link";
import { BUTTON, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import type { Profile } from "@/lib/users";
import { ADMIN_MAX_LENGTH, USER_STATUS_FILTERS } from "@/lib/users/input-rules";
import { number, plural, queryString } from "./format";
import { AccountStatusBadge, MUTED, SELECT, TABLE, TableHead, TableScroll, TD, Time, UserRowHeader, YesNo } from "./ui";

export type StatusFilter = (typeof USER_STATUS_FILTERS)[number];
const STATUS_LABELS: Record<StatusFilter, string> = { active: "Active", pending: "Waiting for approval", disabled: "Disabled" };
export const STATUS_FILTERS = USER_STATUS_FILTERS.map((value) => ({ value, label: STATUS_LABELS[value] }));

/** A GET form: works before (and without) JavaScript, and the URL can be shared. */
export function UserSearch({ q, status }: { q?: string; status?: StatusFilter }) {
  return (
    <Form action="/admin/users" role="search" aria-label="Users">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <label htmlFor="user-q" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="user-q"
            name="q"
            type="search"
            defaultValue={q ?? ""}
            maxLength={ADMIN_MAX_LENGTH.search}
            aria-describedby="user-q-hint"
            className={`${INPUT} mt-1`}
          />
        </div>
        <div className="basis-48">
          <label htmlFor="user-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="user-status" name="status" defaultValue={status ?? ""} className={`${SELECT} mt-1 w-full`}>
            <option value="">Any status</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <button type="submit" className={PRIMARY_BUTTON}>
            Search
          </button>
          {(q || status) && (
            <Link href="/admin/users" className={`${BUTTON} inline-flex items-center`}>
              Clear
            </Link>
          )}
        </div>
      </div>
      <p id="user-q-hint" className={`mt-1 text-xs ${MUTED}`}>
        Search by email, name or user id, or by the start of a key id.
      </p>
    </Form>
  );
}

export function UsersTable({ users, caption }: { users: Profile[]; caption: string }) {
  return (
    <TableScroll label={caption}>
      <table className={TABLE}>
        <caption className="sr-only">{caption}</caption>
        <TableHead
          columns={[
            "Email",
            "Name",
            "Joined (UTC)",
            "Last sign-in (UTC)",
            "Status",
            { label: "Keys", right: true },
            { label: "Plans", right: true },
            "Marketplace",
            "Admin",
          ]}
        />
        <tbody>
          {users.map((user) => {
            const pendingPlans = user.pendingPlans?.length ?? 0;
            return (
              <tr key={user.userId}>
                <UserRowHeader userId={user.userId} email={user.email} />
                <td className={`${TD} min-w-32`}>{user.name ?? <span className={MUTED}>—</span>}</td>
                <td className={`${TD} whitespace-nowrap`}>
                  <Time iso={user.joinedAt} />
                </td>
                <td className={`${TD} whitespace-nowrap`}>
                  <Time iso={user.lastSignInAt} fallback="Never" />
                </td>
                <td className={TD}>
                  <AccountStatusBadge status={user.status} />
                </td>
                <td className={`${TD} text-right tabular-nums`}>{number.format(user.keyCount ?? 0)}</td>
                <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>
                  {number.format(user.plans?.length ?? 0)}
                  {pendingPlans > 0 && <span className={`block text-xs ${MUTED}`}>+{number.format(pendingPlans)} pending</span>}
                </td>
                <td className={TD}>
                  <YesNo value={user.marketplace} />
                </td>
                <td className={TD}>
                  <YesNo value={user.admin} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Previous / next links around "Page X of Y", keeping the search. */
export function Pagination({ page, pages, total, query }: { page: number; pages: number; total: number; query: { q?: string; status?: string } }) {
  const href = (to: number) => `/admin/users${queryString({ ...query, page: to === 1 ? undefined : to })}`;
  return (
    <nav aria-label="Pages of users" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className={MUTED}>
        Page {number.format(page)} of {number.format(pages)} · {plural(total, "user")}
      </p>
      {pages > 1 && (
        <ul className="flex gap-2">
          <li>
            {page > 1 ? (
              <Link href={href(page - 1)} rel="prev" className={`${BUTTON} inline-block`}>
                <span aria-hidden="true">← </span>Previous<span className="sr-only"> page</span>
              </Link>
            ) : (
              <span aria-disabled="true" className={`${BUTTON} inline-block opacity-50`}>
                <span aria-hidden="true">← </span>Previous<span className="sr-only"> page</span>
              </span>
            )}
          </li>
          <li>
            {page < pages ? (
              <Link href={href(page + 1)} rel="next" className={`${BUTTON} inline-block`}>
                Next<span className="sr-only"> page</span>
                <span aria-hidden="true"> →</span>
              </Link>
            ) : (
              <span aria-disabled="true" className={`${BUTTON} inline-block opacity-50`}>
                Next<span className="sr-only"> page</span>
                <span aria-hidden="true"> →</span>
              </span>
            )}
          </li>
        </ul>
      )}
    </nav>
  );
}
