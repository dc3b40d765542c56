import Link from "next/link";
import type { ReactNode } from "react";
import type { AccountStatus } from "@/lib/users";
import { CARD, LINK } from "@/components/access/styles";
import { dateTime } from "./format";

/** Shared Tailwind classes for the admin tables. */
export const TABLE = "w-full border-collapse text-left text-sm";
export const TH = "border-b border-zinc-300 px-3 py-2 font-semibold whitespace-nowrap dark:border-zinc-700";
export const TD = "border-b border-zinc-200 px-3 py-2 align-top dark:border-zinc-800";
export const SECTION_TITLE = "text-xl font-semibold";
export const MUTED = "text-zinc-600 dark:text-zinc-400";
export const SELECT = "focus-ring rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export type Column = string | { label: string; right?: boolean; srOnly?: boolean; sticky?: boolean } | false;

/**
 * A table's first column kept in view while the rest scrolls sideways (narrow screens), on the
 * page's background, with a hairline where the scrolled cells pass under it.
 */
export const STICKY_CELL =
  "sticky left-0 z-10 bg-white shadow-[inset_-1px_0_0_var(--color-zinc-200)] dark:bg-zinc-950 dark:shadow-[inset_-1px_0_0_var(--color-zinc-800)]";

/** A table's header row: a label per column (`right` for numbers, `srOnly` for an action column, `sticky` for a first column kept in view); `false` leaves a column out. */
export function TableHead({ columns, cellClass = TH }: { columns: Column[]; cellClass?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) => {
          if (column === false) return null;
          const { label, right = false, srOnly = false, sticky = false } = typeof column === "string" ? { label: column } : column;
          return (
            <th key={i} scope="col" className={`${cellClass}${right ? " text-right" : ""}${sticky ? ` ${STICKY_CELL}` : ""}`}>
              {srOnly ? <span className="sr-only">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * A wide table that scrolls sideways on narrow screens. Focusable and labelled, so keyboard users
 * can scroll it and screen readers name the region.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`focus-ring relative overflow-x-auto ${CARD}`}>
      {children}
    </div>
  );
}

/** The empty state of a list or table. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 px-4 py-8 text-center dark:border-zinc-700">
      <p className="font-medium">{title}</p>
      {children && <p className={`mt-1 text-sm ${MUTED}`}>{children}</p>}
    </div>
  );
}

/** An ISO time as "Mar 4, 2025, 2:05 PM" (UTC), or a dash when there is none. */
export function Time({ iso, fallback = "—" }: { iso?: string | null; fallback?: string }) {
  if (!iso) return <span className={MUTED}>{fallback}</span>;
  return <time dateTime={iso}>{dateTime.format(new Date(iso))}</time>;
}

/** "Yes", or a quiet dash that reads as "No". */
export function YesNo({ value, yes = "Yes" }: { value: boolean; yes?: string }) {
  if (value) return <span className="font-medium">{yes}</span>;
  return (
    <>
      <span aria-hidden="true" className="text-zinc-400 dark:text-zinc-600">
        —
      </span>
      <span className="sr-only">No</span>
    </>
  );
}

const BADGE = "inline-block rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap";

const ACCOUNT: Record<AccountStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" },
  pending: { label: "Waiting for approval", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  disabled: { label: "Disabled", className: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" },
  deleted: { label: "Deleted", className: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200" },
};

export function AccountStatusBadge({ status }: { status: AccountStatus }) {
  const style = ACCOUNT[status];
  return <span className={`${BADGE} ${style.className}`}>{style.label}</span>;
}

const INVITE = {
  pending: { label: "Pending", className: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200" },
  accepted: { label: "Accepted", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" },
  cancelled: { label: "Cancelled", className: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200" },
} as const;

export function InviteStatusBadge({ status }: { status: keyof typeof INVITE }) {
  const style = INVITE[status];
  return <span className={`${BADGE} ${style.className}`}>{style.label}</span>;
}

export function AdminBadge() {
  return <span className={`${BADGE} bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-brand-500`}>Administrator</span>;
}

/** The page heading, with an optional line under it. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header>
      <h1 className="text-3xl font-bold tracking-tight break-words">{title}</h1>
      {children && <div className={`mt-2 max-w-3xl ${MUTED}`}>{children}</div>}
    </header>
  );
}

/** A table row's first cell naming a person: their email, linking to their admin page. */
export function UserRowHeader({ userId, email }: { userId: string; email?: string | null }) {
  return (
    <th scope="row" className={`${TD} max-w-64 min-w-44 font-normal break-all`}>
      <Link href={`/admin/users/${encodeURIComponent(userId)}`} className={LINK}>
        {email ?? userId}
      </Link>
    </th>
  );
}
