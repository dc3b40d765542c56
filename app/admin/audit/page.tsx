import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { firstParam, queryString } from "@/components/admin/format";
import { EmptyState, MUTED, PageHeader } from "@/components/admin/ui";
import { BUTTON, LINK } from "@/components/access/styles";
import { listAudit } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { adminInputs } from "@/lib/users";

export const metadata: Metadata = { title: "Audit log · Admin" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Every admin action and every key, subscription, account and marketplace change, newest first. */
export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/audit");
  const params = await searchParams;
  const raw = {
    user: firstParam(params.user)?.trim() || undefined,
    type: firstParam(params.type) || undefined,
    cursor: firstParam(params.cursor) || undefined,
  };
  const parsed = adminInputs.audit.safeParse(raw);
  const filters = parsed.success ? { user: parsed.data.user, type: parsed.data.type } : {};
  const cursor = parsed.success ? parsed.data.cursor : undefined;
  let problem = parsed.success ? undefined : `${parsed.error.issues[0]?.message ?? "Those filters aren't valid."} Change the filters and try again.`;
  let result: Awaited<ReturnType<typeof listAudit>> = { entries: [] };
  if (!problem) {
    try {
      result = await listAudit({
        ...(filters.user ? { userId: filters.user } : {}),
        ...(filters.type ? { type: filters.type } : {}),
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      // A tampered or stale cursor: say so on the page instead of the error boundary.
      if (!(error instanceof AppError && error.code === "bad_request")) throw error;
      problem = error.message;
    }
  }
  const filtered = Boolean(filters.user || filters.type);
  const csvHref = `/api/admin/audit${queryString({ format: "csv", user: filters.user, type: filters.type })}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit log">
        Who changed what, when, and what it was before and after. Entries can&apos;t be edited or deleted; they outlive the accounts they are about.
      </PageHeader>
      <AuditFilters {...(raw.user ? { user: raw.user } : {})} {...(raw.type ? { type: raw.type } : {})} />
      {problem && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {problem}
        </p>
      )}
      {!problem && (
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <p className={MUTED}>
            {cursor ? "Older entries" : "Newest first"}
            {filtered ? ", filtered" : ""}.
          </p>
          <a href={csvHref} download className={LINK}>
            Download CSV<span className="sr-only"> of the newest 1,000 {filtered ? "matching " : ""}entries</span>
          </a>
        </div>
      )}
      {!problem &&
        (result.entries.length === 0 ? (
          <EmptyState title={cursor ? "No older entries" : filtered ? "No entries match" : "Nothing recorded yet"}>
            {filtered && !cursor ? "Try another type or user, or clear the filters." : null}
          </EmptyState>
        ) : (
          <AuditTable entries={result.entries} caption={filtered ? "Audit log entries matching the filters" : "Audit log entries"} />
        ))}
      {(cursor || result.cursor) && (
        <nav aria-label="Audit log pages" className="flex flex-wrap gap-2">
          {cursor && (
            <Link href={`/admin/audit${queryString({ user: filters.user, type: filters.type })}`} className={BUTTON}>
              <span aria-hidden="true">« </span>Newest entries
            </Link>
          )}
          {result.cursor && (
            <Link href={`/admin/audit${queryString({ user: filters.user, type: filters.type, cursor: result.cursor })}`} className={BUTTON}>
              Older entries<span aria-hidden="true"> »</span>
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
