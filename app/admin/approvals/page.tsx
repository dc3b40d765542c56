import type { Metadata } from "next";
import Link from "next/link";
import { DecisionForm } from "@/components/admin/decision-form";
import { plural } from "@/components/admin/format";
import { StatusRegion } from "@/components/admin/status-region";
import { EmptyState, MUTED, PageHeader, Time } from "@/components/admin/ui";
import { CARD, LINK } from "@/components/access/styles";
import { listPendingSubscriptions } from "@/lib/access";
import { requireAdmin } from "@/lib/auth";
import { getCatalogWithHiddenFor } from "@/lib/catalog/read";

export const metadata: Metadata = { title: "Approvals · Admin" };

/** Subscription requests to products that need an administrator's approval, oldest first. */
export default async function AdminApprovalsPage() {
  const admin = await requireAdmin("/admin/approvals");
  const [queue, catalog] = await Promise.all([listPendingSubscriptions(), getCatalogWithHiddenFor(admin)]);
  const pending = queue.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // A switch names the plans it replaces by id; the catalog knows their products' names.
  const productOf = (planId: string) => catalog.products.find((p) => p.plan.id === planId)?.name ?? `plan ${planId}`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Approvals">
        Requests to subscribe to products that need your approval, oldest first. Approving attaches the user&apos;s keys to the plan; a reason you give is shown
        on their dashboard.
      </PageHeader>
      <StatusRegion>
        {pending.length === 0 ? (
          <EmptyState title="No requests waiting">New requests for approval-only products show up here.</EmptyState>
        ) : (
          <section aria-labelledby="queue-title">
            <h2 id="queue-title" className={`mb-3 text-sm ${MUTED}`}>
              {plural(pending.length, "request")} waiting
            </h2>
            <ul className="flex flex-col gap-4">
              {pending.map((request) => {
                const who = request.team ? `team ${request.team}` : (request.email ?? request.userId);
                const replaced = (request.replaces ?? []).map(productOf);
                return (
                  <li key={`${request.userId}/${request.planId}`} className={`grid gap-4 p-5 md:grid-cols-[1fr_24rem] ${CARD}`}>
                    <div className="min-w-0">
                      <h3 className="text-lg font-semibold">{request.productName}</h3>
                      <dl className="mt-2 grid grid-cols-[6.5rem_1fr] gap-y-1 text-sm">
                        <dt className={MUTED}>{request.team ? "Team" : "User"}</dt>
                        <dd className="break-all">
                          <Link href={`/admin/${request.team ? "teams" : "users"}/${encodeURIComponent(request.userId)}`} className={LINK}>
                            {who}
                          </Link>
                        </dd>
                        <dt className={MUTED}>Requested</dt>
                        <dd>
                          <Time iso={request.createdAt} /> UTC
                        </dd>
                        {replaced.length > 0 && (
                          <>
                            <dt className={MUTED}>Switch</dt>
                            <dd data-testid="switch-from">
                              From {replaced.join(" and ")}: approving moves their keys to {request.productName}.
                            </dd>
                          </>
                        )}
                        <dt className={MUTED}>Plan id</dt>
                        <dd className="font-mono text-xs break-all">{request.planId}</dd>
                      </dl>
                    </div>
                    <DecisionForm userId={request.userId} planId={request.planId} productName={request.productName} who={who} />
                  </li>
                );
              })}
            </ul>
          </section>
        )}
      </StatusRegion>
    </div>
  );
}
