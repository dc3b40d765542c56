import type { ReactNode } from "react";
import { CARD } from "@/components/access/styles";
import { MarketplaceBadge, StateBadge } from "@/components/access/state-badge";
import type { KeyView, SubscriptionView } from "@/lib/access/types";
import type { Profile } from "@/lib/users";
import { formatShare, number } from "./format";
import { AccountStatusBadge, AdminBadge, EmptyState, MUTED, STICKY_CELL, TABLE, TableHead, TableScroll, TD, Time } from "./ui";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:contents">
      <dt className={`text-sm ${MUTED}`}>{label}</dt>
      <dd className="text-sm break-all">{children}</dd>
    </div>
  );
}

/** Who the user is and where they stand. */
export function ProfileFacts({ profile }: { profile: Profile }) {
  return (
    <dl className={`grid grid-cols-1 gap-3 p-5 sm:grid-cols-[11rem_1fr] sm:gap-x-4 sm:gap-y-2 ${CARD}`}>
      <Fact label="Status">
        <AccountStatusBadge status={profile.status} />
      </Fact>
      <Fact label="Role">{profile.admin ? <AdminBadge /> : "Developer"}</Fact>
      <Fact label="Email">{profile.email ?? <span className={MUTED}>None</span>}</Fact>
      <Fact label="Name">{profile.name ?? <span className={MUTED}>None</span>}</Fact>
      <Fact label="User id">
        <code className="font-mono text-xs">{profile.userId}</code>
      </Fact>
      <Fact label="Joined">
        <Time iso={profile.joinedAt} /> UTC{profile.invited ? " (invited)" : ""}
      </Fact>
      <Fact label="Last sign-in">
        <Time iso={profile.lastSignInAt} fallback="Never" />
        {profile.lastSignInAt && " UTC"}
      </Fact>
      <Fact label="AWS Marketplace buyer">{profile.marketplace ? "Yes" : "No"}</Fact>
    </dl>
  );
}

/** The user's keys as the dashboard shows them: masked, never the value. */
export function KeysTable({ keys, planNames }: { keys: KeyView[]; planNames: Record<string, string> }) {
  if (keys.length === 0) return <EmptyState title="No API keys" />;
  return (
    <TableScroll label="API keys">
      <table className={TABLE}>
        <caption className="sr-only">API keys</caption>
        <TableHead columns={["Name", "Value", "State", "Created (UTC)", "Key id"]} />
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row" className={`${TD} min-w-32 font-medium break-all`}>
                {key.name}
              </th>
              <td className={`${TD} whitespace-nowrap`}>
                <code className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs dark:bg-zinc-800">
                  <span aria-hidden="true">••••</span>
                  <span className="sr-only">Hidden value ending in </span>
                  {key.hint}
                </code>
              </td>
              <td className={TD}>
                <span className="flex flex-wrap gap-1">
                  {key.state === "retiring" ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                      Retiring
                    </span>
                  ) : (
                    <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200">
                      Active
                    </span>
                  )}
                  {key.boundPlanId && <MarketplaceBadge {...(planNames[key.boundPlanId] ? { product: planNames[key.boundPlanId] } : {})} />}
                </span>
                {key.state === "retiring" && key.retiresAt && (
                  <span className={`mt-1 block text-xs ${MUTED}`}>
                    Stops <Time iso={key.retiresAt} />
                  </span>
                )}
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={key.createdAt} />
              </td>
              <td className={`${TD} font-mono text-xs break-all`}>{key.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function SubscriptionsTable({ subscriptions }: { subscriptions: SubscriptionView[] }) {
  if (subscriptions.length === 0) return <EmptyState title="No subscriptions" />;
  return (
    <TableScroll label="Subscriptions">
      <table className={TABLE}>
        <caption className="sr-only">Subscriptions</caption>
        <TableHead columns={["Product", "State", "Requested (UTC)", "Decided (UTC)", "Note"]} />
        <tbody>
          {subscriptions.map((s) => (
            <tr key={s.planId}>
              <th scope="row" className={`${TD} min-w-36 font-medium`}>
                {s.productName}
                <span className={`block font-mono text-xs font-normal ${MUTED}`}>{s.planId}</span>
              </th>
              <td className={TD}>
                <span className="flex flex-wrap gap-1">
                  <StateBadge state={s.state} />
                  {s.source === "marketplace" && <MarketplaceBadge />}
                </span>
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={s.createdAt} />
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={s.decidedAt} />
              </td>
              <td className={`${TD} min-w-48`}>{s.notice ?? <span className={MUTED}>—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * Requests per plan and key from the stored summary (no control-plane calls). A key that is gone
 * (revoked, or rotated away) is named from the summary itself; a live one from the user's keys.
 */
export function UsageSummary({
  usage,
  planNames,
  keys,
}: {
  usage: Profile["usage"];
  planNames: Record<string, string>;
  keys: Pick<KeyView, "id" | "name" | "hint">[];
}) {
  if (usage.length === 0) return <EmptyState title="No usage stored yet">It appears once this user&apos;s usage has been read.</EmptyState>;
  return (
    <TableScroll label="Usage summary">
      <table className={TABLE}>
        <caption className="sr-only">Usage summary</caption>
        <TableHead
          columns={[
            { label: "Plan", sticky: true },
            "Key",
            { label: "Requests, last 7 days", right: true },
            { label: "Quota used", right: true },
            "As of (UTC)",
          ]}
        />
        <tbody>
          {usage.map((u) => (
            <tr key={`${u.planId}/${u.keyId}`}>
              {/* On a phone the plan stays in view while the rest scrolls, and the key keeps room for its name. */}
              <th scope="row" className={`${TD} ${STICKY_CELL} min-w-28 font-medium break-words`}>
                {planNames[u.planId] ?? u.productName ?? <code className="font-mono text-xs break-all">{u.planId}</code>}
              </th>
              <td className={`${TD} min-w-44 break-words`}>
                <UsageKey usage={u} live={keys.find((k) => k.id === u.keyId)} />
              </td>
              <td className={`${TD} text-right tabular-nums`}>{number.format(u.requests7d)}</td>
              <td
                className={`${TD} text-right tabular-nums ${u.quotaUsed !== undefined && u.quotaUsed >= 0.8 ? "font-medium text-amber-800 dark:text-amber-300" : ""}`}
              >
                {u.quotaUsed === undefined ? <span className={MUTED}>No quota</span> : formatShare(u.quotaUsed)}
              </td>
              <td className={`${TD} whitespace-nowrap`}>
                <Time iso={u.fetchedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function UsageKey({ usage, live }: { usage: Profile["usage"][number]; live?: Pick<KeyView, "name" | "hint"> }) {
  const name = usage.keyName ?? live?.name;
  const hint = usage.keyHint ?? live?.hint;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
      {name ?? <code className="font-mono text-xs break-all">{usage.keyId}</code>}
      {hint && (
        <code className="font-mono text-xs whitespace-nowrap">
          <span aria-hidden="true">••••</span>
          <span className="sr-only">ending in </span>
          {hint}
        </code>
      )}
      {(usage.gone || !live) && (
        <span className="rounded bg-zinc-200 px-1.5 py-0.5 text-xs font-medium text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">No longer active</span>
      )}
    </span>
  );
}
