import Link from "next/link";
import type { ReactNode } from "react";
import { CARD, LINK } from "@/components/access/styles";
import type { Overview } from "@/lib/users";
import { formatDay, formatDayLong, formatShare, number, plural } from "./format";
import { SignupsPanel } from "./signups-panel";
import { EmptyState, MUTED, SECTION_TITLE, TABLE, TableHead, TableScroll, TD, Time } from "./ui";

function Stat({ label, value, children }: { label: string; value: number; children?: ReactNode }) {
  return (
    <div className={`flex flex-col gap-1 p-4 ${CARD}`}>
      <dt className={`text-sm ${MUTED}`}>{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{number.format(value)}</dd>
      {children && <dd className="text-sm">{children}</dd>}
    </div>
  );
}

/** The headline numbers, each a count from stored profiles. */
export function StatGrid({ overview }: { overview: Overview }) {
  const { users } = overview;
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title" className="sr-only">
        At a glance
      </h2>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Users" value={users.total}>
          <Link href="/admin/users" className={LINK}>
            All users
          </Link>
        </Stat>
        <Stat label="Active" value={users.active} />
        <Stat label="Waiting for approval" value={users.pending}>
          {users.pending > 0 && (
            <Link href="/admin/registration#pending-accounts" className={LINK}>
              Review
            </Link>
          )}
        </Stat>
        <Stat label="Disabled" value={users.disabled} />
        <Stat label="Administrators" value={overview.admins} />
        <Stat label="Active keys" value={overview.activeKeys} />
        <Stat label="Subscription requests" value={overview.pendingSubscriptions}>
          {overview.pendingSubscriptions > 0 && (
            <Link href="/admin/approvals" className={LINK}>
              Review
            </Link>
          )}
        </Stat>
        <Stat label="Marketplace buyers" value={overview.marketplaceBuyers} />
      </dl>
    </section>
  );
}

/** Sign-ups per day as a chart, with the same numbers as a table for anyone who can't use the chart. */
export function SignupsSection({ signUps }: { signUps: Overview["signUps"] }) {
  const total = signUps.reduce((sum, d) => sum + d.count, 0);
  const title = `Sign-ups per day, last ${signUps.length} days (UTC)`;
  return (
    <section aria-labelledby="signups-title" className={`p-5 ${CARD}`}>
      <h2 id="signups-title" className="text-lg font-semibold">
        Sign-ups
      </h2>
      <p className={`mt-1 text-sm ${MUTED}`}>
        {plural(total, "new account")} in the last {signUps.length} days.
      </p>
      {total === 0 ? (
        <p className={`mt-4 rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-center text-sm dark:border-zinc-700 ${MUTED}`}>
          Nobody signed up in the last {signUps.length} days.
        </p>
      ) : (
        <figure className="mt-4">
          <figcaption className="mb-2 text-sm font-medium text-zinc-700 dark:text-zinc-300">{title}</figcaption>
          <SignupsPanel title={title} rows={signUps.map((d) => ({ label: formatDay(d.day), count: d.count }))} />
        </figure>
      )}
      <details className="mt-3 text-sm">
        <summary className="focus-ring cursor-pointer rounded font-medium">Show as table</summary>
        <div tabIndex={0} className="focus-ring mt-2 max-h-96 overflow-y-auto rounded">
          <table className={TABLE}>
            <caption className="sr-only">{title}</caption>
            <TableHead columns={["Day (UTC)", { label: "Sign-ups", right: true }]} />
            <tbody>
              {signUps.map((d) => (
                <tr key={d.day}>
                  <th scope="row" className={`${TD} font-normal`}>
                    {formatDayLong(d.day)}
                  </th>
                  <td className={`${TD} text-right tabular-nums`}>{number.format(d.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

const userHref = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;

export function TopConsumers({ consumers }: { consumers: Overview["topConsumers"] }) {
  return (
    <section aria-labelledby="consumers-title">
      <h2 id="consumers-title" className={`mb-3 ${SECTION_TITLE}`}>
        Top consumers, last 7 days
      </h2>
      {consumers.length === 0 ? (
        <EmptyState title="No requests recorded in the last 7 days" />
      ) : (
        <TableScroll label="Top consumers, last 7 days">
          <table className={TABLE}>
            <TableHead columns={["User", { label: "Requests", right: true }]} />
            <tbody>
              {consumers.map((c) => (
                <tr key={c.userId}>
                  <td className={`${TD} break-all`}>
                    <Link href={userHref(c.userId)} className={LINK}>
                      {c.email ?? c.name ?? c.userId}
                    </Link>
                    {c.email && c.name && <span className={`block text-xs ${MUTED}`}>{c.name}</span>}
                  </td>
                  <td className={`${TD} text-right tabular-nums`}>{number.format(c.requests7d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

export function NearQuota({ keys }: { keys: Overview["nearQuota"] }) {
  return (
    <section aria-labelledby="near-quota-title">
      <h2 id="near-quota-title" className={`mb-3 ${SECTION_TITLE}`}>
        Keys near their quota
      </h2>
      {keys.length === 0 ? (
        <EmptyState title="No key has used 80 % of its quota" />
      ) : (
        <TableScroll label="Keys that used 80 % or more of their quota">
          <table className={TABLE}>
            <TableHead columns={["User", "Plan", "Key", { label: "Quota used", right: true }]} />
            <tbody>
              {keys.map((k) => (
                <tr key={`${k.userId}/${k.planId}/${k.keyId}`}>
                  <td className={`${TD} break-all`}>
                    <Link href={userHref(k.userId)} className={LINK}>
                      {k.email ?? k.userId}
                    </Link>
                  </td>
                  <td className={TD}>{k.productName ?? <span className="font-mono text-xs">{k.planId}</span>}</td>
                  <td className={`${TD} font-mono text-xs`}>{k.keyId}</td>
                  <td
                    className={`${TD} text-right font-medium tabular-nums ${k.quotaUsed >= 1 ? "text-red-700 dark:text-red-300" : "text-amber-800 dark:text-amber-300"}`}
                  >
                    {formatShare(k.quotaUsed)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

/** Where the usage numbers come from and how old the oldest one is. */
export function UsageAsOf({ usageAsOf }: { usageAsOf?: string }) {
  return (
    <p className={`text-sm ${MUTED}`}>
      {usageAsOf ? (
        <>
          Usage comes from what the portal stored for each user (when they look at their dashboard, and every hour from the usage collector), not from a live
          read of API Gateway: the oldest figure here is from <Time iso={usageAsOf} /> UTC.
        </>
      ) : (
        "No usage has been stored yet: figures appear once users look at their usage or the usage collector next runs."
      )}
    </p>
  );
}
