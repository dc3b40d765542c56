"use client";

import { useId, type FormEvent } from "react";
import { SCOPE_LABELS, TEAM_SCOPE_DETAILS, TOKEN_EXPIRY_DAYS, TOKEN_NAME_MAX_LENGTH, type TokenScope } from "@/lib/tokens/scopes";
import type { TokenView } from "@/lib/tokens/tokens";
import { ErrorAlert } from "./error-alert";
import { CARD, INPUT, PRIMARY_BUTTON } from "./styles";
import { useApiCall, useHydrated } from "./use-api-call";

/** The scopes a person chooses: every token can read. */
const OPTIONAL_SCOPES = ["manage", "call"] as const satisfies readonly TokenScope[];
const DEFAULT_EXPIRY_DAYS = 30;

const expiryLabel = (days: number) => (days === 365 ? "1 year (365 days)" : `${days} days`);

/**
 * Names a portal token, picks its scopes and lifetime, and creates it; the parent shows the value
 * once. Disabled, with the reason, at the limit (of tokens that haven't expired).
 */
export function CreateTokenForm({
  count,
  maxTokens,
  onStart,
  onCreated,
  team,
}: {
  count: number;
  maxTokens: number;
  onStart: () => void;
  onCreated: (token: TokenView, value: string) => void;
  /** A team's token: for that team, with only the scopes the person's role allows. */
  team?: { slug: string; role: string; allowed: readonly TokenScope[] };
}) {
  const id = useId();
  const hydrated = useHydrated();
  const { call, pending, error } = useApiCall();
  const atMax = count >= maxTokens;

  // The fields are uncontrolled and read at submit: what was chosen before hydration is kept.
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    if (!name) return;
    const scopes = data.getAll("scopes").map(String);
    const expiresInDays = Number(data.get("expiresInDays") ?? DEFAULT_EXPIRY_DAYS);
    onStart();
    const endpoint = team ? `/api/tokens?team=${encodeURIComponent(team.slug)}` : "/api/tokens";
    const result = await call<{ token: TokenView; value: string }>(endpoint, { method: "POST", body: { name, scopes, expiresInDays } });
    if (result.ok) {
      form.reset();
      onCreated(result.data.token, result.data.value);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className={`flex flex-col gap-5 p-5 ${CARD}`}>
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        Create a token
      </h2>
      {/* A disabled fieldset disables every control in it at once. */}
      <fieldset disabled={atMax} className="flex min-w-0 flex-col gap-5">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            Token name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={TOKEN_NAME_MAX_LENGTH}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. ci-agent"
            aria-describedby={`${id}-name-hint`}
            className={`${INPUT} sm:max-w-xs`}
          />
          <p id={`${id}-name-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
            Name it after the script or agent that will use it. Up to {TOKEN_NAME_MAX_LENGTH} letters, digits, spaces and _ . : / = + @ ( ) -
          </p>
        </div>

        <fieldset className="flex min-w-0 flex-col gap-3">
          <legend className="mb-2 text-sm font-medium">What it may do</legend>
          <ScopeChoice id={`${id}-read`} scope="read" checked disabled note="always included" team={!!team} />
          {OPTIONAL_SCOPES.map((scope) =>
            team && !team.allowed.includes(scope) ? (
              <ScopeChoice key={scope} id={`${id}-${scope}`} scope={scope} team unavailable={`not for ${team.role === "admin" ? "an" : "a"} ${team.role}`} />
            ) : (
              <ScopeChoice key={scope} id={`${id}-${scope}`} scope={scope} team={!!team} />
            ),
          )}
        </fieldset>

        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-expiry`} className="text-sm font-medium">
            Expires after
          </label>
          <select
            id={`${id}-expiry`}
            name="expiresInDays"
            defaultValue={DEFAULT_EXPIRY_DAYS}
            className="focus-ring w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm disabled:opacity-60 sm:max-w-xs dark:border-zinc-700 dark:bg-zinc-900"
          >
            {TOKEN_EXPIRY_DAYS.map((days) => (
              <option key={days} value={days}>
                {expiryLabel(days)}
              </option>
            ))}
          </select>
        </div>
      </fieldset>

      <div className="flex flex-col gap-2">
        <div>
          <button type="submit" disabled={atMax || pending || !hydrated} aria-describedby={atMax ? `${id}-limit` : undefined} className={PRIMARY_BUTTON}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
        {atMax && (
          <p id={`${id}-limit`} className="text-sm text-zinc-600 dark:text-zinc-400">
            {`${team ? "The team has" : "You have"} ${count} of ${maxTokens} tokens, the most allowed. Revoke one no longer used to create another.`}
          </p>
        )}
        <ErrorAlert error={error} />
      </div>
    </form>
  );
}

function ScopeChoice({
  id,
  scope,
  checked,
  disabled,
  note,
  unavailable,
  team,
}: {
  id: string;
  scope: TokenScope;
  checked?: boolean;
  disabled?: boolean;
  note?: string;
  /** Why this scope can't be chosen (the person's role in the team). */
  unavailable?: string;
  /** A team's token: described in the team's terms. */
  team?: boolean;
}) {
  const { title } = SCOPE_LABELS[scope];
  const detail = team ? TEAM_SCOPE_DETAILS[scope] : SCOPE_LABELS[scope].detail;
  if (unavailable) note = unavailable;
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        // Read has no name: it is never sent, the server always grants it.
        {...(unavailable
          ? { checked: false, readOnly: true, disabled: true }
          : disabled
            ? { checked: true, readOnly: true, disabled: true }
            : { name: "scopes", value: scope, defaultChecked: checked })}
        aria-describedby={`${id}-detail`}
        className="focus-ring mt-1 shrink-0 accent-brand-600"
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium">
          {title}
          {note && <span className="font-normal text-zinc-600 dark:text-zinc-400"> ({note})</span>}
        </label>
        <p id={`${id}-detail`} className="text-zinc-600 dark:text-zinc-400">
          {detail}
        </p>
      </div>
    </div>
  );
}
