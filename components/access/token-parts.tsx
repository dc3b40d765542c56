import type { TokenScope } from "@/lib/tokens/scopes";
import type { TokenView } from "@/lib/tokens/tokens";
import { dateTime } from "./time";

// What a portal token row shows, on the developer's tokens page and the admin's user page alike
// (server and client: no hooks). Times are fixed to UTC so the server's HTML and the browser agree.

const BADGE = "inline-block rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap";

const SCOPE_STYLE: Record<TokenScope, string> = {
  read: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  manage: "bg-violet-100 text-violet-900 dark:bg-violet-900/40 dark:text-violet-200",
  call: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
};

/** A token's scopes as small badges (read, manage, call), a list to screen readers. */
export function ScopeBadges({ scopes }: { scopes: readonly TokenScope[] }) {
  return (
    <ul aria-label="Scopes" className="flex flex-wrap gap-1">
      {scopes.map((scope) => (
        <li key={scope} className={`${BADGE} font-mono ${SCOPE_STYLE[scope]}`}>
          {scope}
        </li>
      ))}
    </ul>
  );
}

export function ExpiredBadge() {
  return <span className={`${BADGE} bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200`}>Expired</span>;
}

/** Whether the token had expired at `now` (an ISO time the server read, so both renders agree). */
export const isExpired = (token: Pick<TokenView, "expiresAt">, now: string) => token.expiresAt <= now;

export const formatTime = (iso: string) => `${dateTime.format(new Date(iso))} UTC`;

/** "Never used", or "Last used Mar 4, 2025, 2:05 PM UTC from 203.0.113.7". */
export function lastUsed(token: Pick<TokenView, "lastUsedAt" | "lastUsedIp">): string {
  if (!token.lastUsedAt) return "Never used";
  const from = token.lastUsedIp && token.lastUsedIp !== "unknown" ? ` from ${token.lastUsedIp}` : "";
  return `Last used ${formatTime(token.lastUsedAt)}${from}`;
}
