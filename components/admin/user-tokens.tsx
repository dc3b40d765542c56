"use client";

import { useState } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { ExpiredBadge, isExpired, lastUsed, ScopeBadges } from "@/components/access/token-parts";
import { useApiCall } from "@/components/access/use-api-call";
import type { TokenView } from "@/lib/tokens/tokens";
import { ConfirmDialog } from "./confirm-dialog";
import { plural } from "./format";
import { useAnnounce } from "./status-region";
import { EmptyState, MUTED, TABLE, TableHead, TableScroll, TD, Time } from "./ui";

const RED_BUTTON =
  "focus-ring rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium whitespace-nowrap text-red-800 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-red-800 dark:text-red-200 dark:hover:bg-red-950";

/**
 * A user's portal tokens as the admin sees them (never a value), with Revoke per token and Revoke
 * all. Results are announced in the enclosing StatusRegion; the server's refusal shows in an alert.
 */
export function UserTokens({ userId, who, tokens, now }: { userId: string; who: string; tokens: TokenView[]; now: string }) {
  const announce = useAnnounce();
  const { call, pending, error } = useApiCall();
  const [running, setRunning] = useState<string | null>(null);
  const base = `/api/admin/users/${encodeURIComponent(userId)}/tokens`;
  const busy = pending || running !== null;

  async function revoke(token: TokenView) {
    if (busy) return;
    setRunning(token.id);
    const result = await call(`${base}/${encodeURIComponent(token.id)}`, { method: "DELETE" });
    setRunning(null);
    if (result.ok) announce(`Revoked ${who}'s token ${token.name}: anything using it now gets 401.`);
  }

  async function revokeAll() {
    if (busy) return;
    setRunning("all");
    const result = await call<{ revoked: number }>(base, { method: "DELETE" });
    setRunning(null);
    if (result.ok) announce(`Revoked ${plural(result.data.revoked, "portal token")} of ${who}.`);
  }

  if (tokens.length === 0)
    return (
      <div className="flex flex-col gap-3">
        <EmptyState title="No portal tokens" />
        <ErrorAlert error={error} />
      </div>
    );

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className={`text-sm ${MUTED}`}>
          {plural(tokens.length, "token")}. Revoking one stops it at once; the person can create new ones unless their account is disabled.
        </p>
        <ConfirmDialog
          label="Revoke all"
          ariaLabel={`Revoke all of ${who}'s portal tokens`}
          pendingLabel="Revoking…"
          pending={running === "all"}
          disabled={busy}
          title={`Revoke all of ${who}'s portal tokens?`}
          confirmLabel="Revoke all tokens"
          triggerClassName={RED_BUTTON}
          onConfirm={revokeAll}
        >
          All {plural(tokens.length, "token")} stop working at once: their scripts and agents get 401. Their session, API keys and subscriptions are not
          affected.
        </ConfirmDialog>
      </div>
      <TableScroll label="Portal tokens">
        <table className={TABLE}>
          <caption className="sr-only">Portal tokens</caption>
          <TableHead columns={["Name", "Scopes", "Created (UTC)", "Expires (UTC)", "Last used (UTC)", { label: "Actions", srOnly: true }]} />
          <tbody>
            {tokens.map((token) => {
              const expired = isExpired(token, now);
              return (
                <tr key={token.id}>
                  <th scope="row" className={`${TD} min-w-32 font-medium break-all`}>
                    {token.name}
                    <span className={`block font-mono text-xs font-normal ${MUTED}`}>{token.id}</span>
                  </th>
                  <td className={TD}>
                    <ScopeBadges scopes={token.scopes} />
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>
                    <Time iso={token.createdAt} />
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>
                    <span className="flex flex-wrap items-center gap-1">
                      <Time iso={token.expiresAt} />
                      {expired && <ExpiredBadge />}
                    </span>
                  </td>
                  <td className={`${TD} min-w-40`}>
                    {token.lastUsedAt ? (
                      <>
                        <Time iso={token.lastUsedAt} />
                        {token.lastUsedIp && token.lastUsedIp !== "unknown" && <span className={`block text-xs ${MUTED}`}>from {token.lastUsedIp}</span>}
                      </>
                    ) : (
                      <span className={MUTED}>{lastUsed(token)}</span>
                    )}
                  </td>
                  <td className={`${TD} text-right`}>
                    <ConfirmDialog
                      label="Revoke"
                      ariaLabel={`Revoke ${who}'s token ${token.name}`}
                      pendingLabel="Revoking…"
                      pending={running === token.id}
                      disabled={busy}
                      title={`Revoke ${who}'s token ${token.name}?`}
                      confirmLabel="Revoke token"
                      triggerClassName={RED_BUTTON}
                      onConfirm={() => revoke(token)}
                    >
                      It stops working at once: whatever uses it gets 401. This can&apos;t be undone.
                    </ConfirmDialog>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <ErrorAlert error={error} />
    </div>
  );
}
