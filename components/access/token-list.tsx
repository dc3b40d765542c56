"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import type { TokenScope } from "@/lib/tokens/scopes";
import type { TokenView } from "@/lib/tokens/tokens";
import { CreateTokenForm } from "./create-token-form";
import { ErrorAlert } from "./error-alert";
import { BUTTON, CARD } from "./styles";
import { ExpiredBadge, formatTime, isExpired, lastUsed, ScopeBadges } from "./token-parts";
import { useApiCall } from "./use-api-call";

/** A token the server just created: its value is in this answer and nowhere else, ever. */
interface FreshToken {
  token: TokenView;
  value: string;
}

const REVOKE_BUTTON =
  "focus-ring rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950";

/** A team's tokens, as one member sees them: what their role lets them make, and whose they may revoke. */
export interface TokenTeam {
  slug: string;
  name: string;
  role: string;
  allowed: readonly TokenScope[];
  /** They manage the team's access: any token may be revoked, not only theirs. */
  revokesAny: boolean;
  personId: string;
}

/**
 * The developer's (or a team's) portal tokens: the create form, the one-time display of a new value
 * (kept here, so a page refresh after creating doesn't lose it, and only here: a reload does), and
 * the list. What happened is said in a live region; after a revoke, focus goes there (the row is gone).
 */
export function TokenManager({ tokens, maxTokens, now, team }: { tokens: TokenView[]; maxTokens: number; now: string; team?: TokenTeam }) {
  const id = useId();
  const [fresh, setFresh] = useState<FreshToken | null>(null);
  const [status, setStatus] = useState<{ message: string; visible: boolean; n: number }>({ message: "", visible: false, n: 0 });
  const statusRef = useRef<HTMLParagraphElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const live = tokens.filter((t) => !isExpired(t, now)).length;
  const expired = tokens.length - live;

  useEffect(() => {
    if (status.visible) statusRef.current?.focus();
  }, [status]);

  const say = (message: string, visible: boolean) => setStatus((s) => ({ message, visible, n: s.n + 1 }));

  return (
    <div className="flex flex-col gap-10">
      <CreateTokenForm
        count={live}
        maxTokens={maxTokens}
        {...(team ? { team } : {})}
        onStart={() => {
          setFresh(null);
          say("", false);
        }}
        onCreated={(token, value) => {
          setFresh({ token, value });
          say(`Token ${token.name} created. Copy its value now: you won't see it again.`, false);
        }}
      />

      {fresh && (
        <NewTokenValue
          fresh={fresh}
          onDone={() => {
            setFresh(null);
            listHeading.current?.focus();
          }}
        />
      )}

      <section aria-labelledby={`${id}-list`}>
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={`${id}-list`} ref={listHeading} tabIndex={-1} className="text-xl font-semibold outline-none">
            {team ? `Tokens for ${team.name}` : "Your tokens"}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="token-count">
            {live} of {maxTokens} tokens
            {expired > 0 && ` · ${expired} expired ${expired === 1 ? "token doesn't" : "tokens don't"} count`}
          </p>
        </div>
        {/* Always in the DOM, so the first message is announced too; shown (and focused) after a revoke, where the row was. */}
        <p
          ref={statusRef}
          role="status"
          tabIndex={-1}
          className={
            status.visible && status.message
              ? "focus-ring mb-4 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
              : "sr-only"
          }
        >
          {status.message}
        </p>
        {tokens.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No tokens yet — create one for a script or an AI agent above.
          </p>
        ) : (
          <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
            {tokens.map((token) => (
              <TokenRow
                key={token.id}
                token={token}
                expired={isExpired(token, now)}
                {...(team ? { team: { slug: team.slug, mayRevoke: team.revokesAny || token.createdBy?.id === team.personId } } : {})}
                onRevoked={() => {
                  if (fresh?.token.id === token.id) setFresh(null);
                  say(`Token ${token.name} revoked: anything still using it now gets 401.`, true);
                }}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function NewTokenValue({ fresh, onDone }: { fresh: FreshToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  // Take focus so screen readers announce the value's arrival and keyboard users land next to Copy.
  useEffect(() => heading.current?.focus(), [fresh]);
  return (
    <div role="region" aria-labelledby={id} className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40">
      <h2 id={id} ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        Token {fresh.token.name} created
      </h2>
      <p className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <span aria-hidden="true">⚠ </span>You won&apos;t see this token again. Copy it now and keep it where your script or agent keeps its secrets; if you lose
        it, revoke it and create another.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-3 rounded-lg bg-zinc-900 px-3 py-2">
        <code aria-label="New token value" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100">
          {fresh.value}
        </code>
        <CopyButton text={fresh.value} label="Copy token" />
      </div>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
        Send it as <code className="rounded bg-white px-1 font-mono dark:bg-zinc-900">Authorization: Bearer ptk_…</code> to{" "}
        <code className="rounded bg-white px-1 font-mono dark:bg-zinc-900">/api/v1</code> or{" "}
        <code className="rounded bg-white px-1 font-mono dark:bg-zinc-900">/mcp</code>. It works until {formatTime(fresh.token.expiresAt)}.
      </p>
      <button type="button" onClick={onDone} className={`${BUTTON} mt-3 bg-white dark:bg-zinc-950`}>
        Done, hide the token
      </button>
    </div>
  );
}

function TokenRow({
  token,
  expired,
  onRevoked,
  team,
}: {
  token: TokenView;
  expired: boolean;
  onRevoked: () => void;
  team?: { slug: string; mayRevoke: boolean };
}) {
  const revoke = useApiCall();

  async function onRevoke() {
    const query = team ? `?team=${encodeURIComponent(team.slug)}` : "";
    const result = await revoke.call(`/api/tokens/${encodeURIComponent(token.id)}${query}`, { method: "DELETE" });
    if (result.ok) onRevoked();
  }

  return (
    <li aria-label={`Token ${token.name}`} className="flex flex-col gap-2 px-4 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-1.5">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="break-all">{token.name}</span>
            {expired && <ExpiredBadge />}
          </p>
          <ScopeBadges scopes={token.scopes} />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Created {formatTime(token.createdAt)} · {expired ? "Expired" : "Expires"} {formatTime(token.expiresAt)}
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{lastUsed(token)}</p>
          {token.createdBy && <p className="text-sm text-zinc-600 dark:text-zinc-400">{`Made by ${token.createdBy.email ?? "a member"}; acts as them`}</p>}
        </div>
        {team?.mayRevoke !== false && (
          <ConfirmDialog
            label="Revoke"
            ariaLabel={`Revoke token ${token.name}`}
            pendingLabel="Revoking…"
            pending={revoke.pending}
            title={`Revoke token ${token.name}?`}
            confirmLabel="Revoke token"
            triggerClassName={REVOKE_BUTTON}
            onConfirm={onRevoke}
          >
            It stops working at once: scripts and agents using it get 401. This can&apos;t be undone; create a new token if you need one again.
          </ConfirmDialog>
        )}
      </div>
      <ErrorAlert error={revoke.error} />
    </li>
  );
}
