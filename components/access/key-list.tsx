"use client";

import { useEffect, useId, useRef, useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import type { KeyAllowance, KeyView } from "@/lib/access/types";
import { CreateKeyForm } from "./create-key-form";
import { ErrorAlert } from "./error-alert";
import { KeyExpiry } from "./key-expiry";
import { RenameKey } from "./rename-key";
import { RotateKey } from "./rotate-key";
import { MarketplaceBadge } from "./state-badge";
import { BUTTON, CARD, DANGER_BUTTON } from "./styles";
import { date, dateTime, formatUntil, useNow } from "./time";
import { PROPAGATION } from "./propagation";
import { useSpaceAllows, useSpaceUrl } from "./space";
import { useApiCall } from "./use-api-call";

/** A key value the server just handed out: shown once, right away. */
interface FreshKey {
  key: KeyView;
  value: string;
  /** Set after a rotation: the key it replaced (null when that one stopped working at once). */
  retired?: KeyView | null;
}

/**
 * The user's keys, the create form and the one-time display of a new value (kept here so it
 * outlives the row it came from). Starting another create or rotate clears the last value, so
 * "New key value" never shows a stale one.
 */
export function KeyList({
  keys,
  allowance,
  planNames = {},
  closedPlans = [],
}: {
  keys: KeyView[];
  /** Keys against the limit, as the server counts them when creating one. */
  allowance: KeyAllowance;
  planNames?: Record<string, string>;
  /** Plans whose AWS Marketplace subscription ended or failed: their metered keys may be revoked. */
  closedPlans?: string[];
}) {
  const [fresh, setFresh] = useState<FreshKey | null>(null);
  const manage = useSpaceAllows("manageAccess");
  return (
    <div className="flex flex-col gap-4">
      {fresh && <NewKeyValue fresh={fresh} onDone={() => setFresh(null)} />}
      {keys.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No keys yet — create one to call the APIs.
        </p>
      ) : (
        <ul className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
          {keys.map((key) => (
            <KeyRow
              key={key.id}
              apiKey={key}
              {...(key.boundPlanId ? { product: planNames[key.boundPlanId] ?? "", closed: closedPlans.includes(key.boundPlanId) } : {})}
              replacementHint={keys.find((k) => k.id === key.replacedBy)?.hint}
              onRotateStart={() => setFresh(null)}
              onRotated={setFresh}
            />
          ))}
        </ul>
      )}
      {manage && (
        <CreateKeyForm count={allowance.used} maxKeys={allowance.max} onStart={() => setFresh(null)} onCreated={(key, value) => setFresh({ key, value })} />
      )}
    </div>
  );
}

function NewKeyValue({ fresh, onDone }: { fresh: FreshKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  // Take focus so screen readers announce the value's arrival and keyboard users land next to Copy.
  useEffect(() => heading.current?.focus(), [fresh]);
  const rotated = fresh.retired !== undefined;
  return (
    <div role="region" aria-labelledby={id} className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40">
      <h3 id={id} ref={heading} tabIndex={-1} className="font-semibold outline-none">
        {rotated ? `Key ${fresh.key.name} rotated: here is the new value` : `Key ${fresh.key.name} created`}
      </h3>
      <div className="mt-3 flex flex-wrap items-center gap-3 rounded-lg bg-zinc-900 px-3 py-2">
        <code aria-label="New key value" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100">
          {fresh.value}
        </code>
        <CopyButton text={fresh.value} label="Copy key" />
      </div>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">Copy it now or reveal it later from this page. Send it in the x-api-key header.</p>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{PROPAGATION.keyCreated}</p>
      {rotated && (
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
          {fresh.retired?.retiresAt
            ? `The old key (••••${fresh.retired.hint}) keeps working until ${dateTime.format(new Date(fresh.retired.retiresAt))} UTC.`
            : PROPAGATION.oldKeyStops}
        </p>
      )}
      <button type="button" onClick={onDone} className={`${BUTTON} mt-3 bg-white dark:bg-zinc-950`}>
        Done
      </button>
    </div>
  );
}

function KeyRow({
  apiKey,
  product,
  closed = false,
  replacementHint,
  onRotateStart,
  onRotated,
}: {
  apiKey: KeyView;
  /** A retiring key: the hint of the key that replaced it (they share a name). */
  replacementHint?: string;
  /** A marketplace key's product (the plan it is bound to). */
  product?: string;
  /** Its marketplace subscription ended or failed. */
  closed?: boolean;
  onRotateStart: () => void;
  onRotated: (fresh: FreshKey) => void;
}) {
  const [value, setValue] = useState<string | null>(null);
  // One step open at a time: rotating, renaming or changing the expiry.
  const [step, setStep] = useState<"rotate" | "rename" | "expiry" | null>(null);
  const rotateToggle = useRef<HTMLButtonElement>(null);
  const renameToggle = useRef<HTMLButtonElement>(null);
  const expiryToggle = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLButtonElement | null>(null);
  const reveal = useApiCall();
  const revoke = useApiCall();
  const spaceUrl = useSpaceUrl();
  const manage = useSpaceAllows("manageAccess");
  const mayReveal = useSpaceAllows("reveal");
  const retiring = apiKey.state === "retiring";
  // A rotated key keeps its name, so the retiring one is named differently: "Key ci-server" finds one row only.
  const called = retiring ? `retiring ${apiKey.name} key` : `key ${apiKey.name}`;
  // The server keeps an active marketplace key while the subscription lasts: it can be rotated, not revoked.
  // A metered key belongs to its marketplace subscription until AWS ends it.
  const bound = apiKey.boundPlanId !== undefined && !closed;
  // An active portal key may expire; a marketplace key lasts as long as its subscription, a retiring one until its grace period ends.
  const expires = !retiring && apiKey.boundPlanId === undefined;

  // Closing a step (other than by rotating, which shows the new value) puts focus back on the button that opened it.
  useEffect(() => {
    if (step === null && returnFocus.current) {
      returnFocus.current.focus();
      returnFocus.current = null;
    }
  }, [step]);

  function closeStep(toggle: HTMLButtonElement | null) {
    returnFocus.current = toggle;
    setStep(null);
  }

  async function onReveal() {
    const result = await reveal.call<{ value: string }>(spaceUrl(`/api/keys/${encodeURIComponent(apiKey.id)}/reveal`), { method: "POST" }, { refresh: false });
    if (result.ok) setValue(result.data.value);
  }

  async function onRevoke() {
    if (!window.confirm(`Revoke ${called} (••••${apiKey.hint})? ${PROPAGATION.revoke}`)) return;
    await revoke.call(spaceUrl(`/api/keys/${encodeURIComponent(apiKey.id)}`), { method: "DELETE" });
  }

  return (
    <li aria-label={retiring ? `Retiring ${apiKey.name} key` : `Key ${apiKey.name}`} className="flex flex-col gap-3 px-4 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="break-all">{apiKey.name}</span>
            {retiring && (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">Retiring</span>
            )}
            {bound && <MarketplaceBadge {...(product ? { product } : {})} />}
          </p>
          {bound && !retiring && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Works with {product || "your AWS Marketplace plan"} only, while that subscription is active; AWS Marketplace meters its calls.
            </p>
          )}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Created {dateTime.format(new Date(apiKey.createdAt))} UTC ·{" "}
            {/* From the stored usage: it follows within minutes of a call (the usage collector) or at once on viewing usage. */}
            {apiKey.lastUsedDay ? `Last used ${date.format(new Date(`${apiKey.lastUsedDay}T00:00:00Z`))}` : "Not used yet"}
            {retiring && apiKey.replacedBy && (
              <>
                {" "}
                · replaced by{" "}
                {replacementHint ? (
                  <span className="font-mono">
                    <Masked hint={replacementHint} />
                  </span>
                ) : (
                  "a new value"
                )}
              </>
            )}
          </p>
          {retiring && apiKey.retiresAt && <RetiresAt iso={apiKey.retiresAt} />}
          {expires && apiKey.expiresAt && <ExpiresAt iso={apiKey.expiresAt} />}
        </div>
        {/* In a team, only owners and admins change keys (lib/teams/roles.ts; the server refuses the rest anyway). */}
        <div hidden={!manage} className="flex flex-wrap items-center gap-2">
          {/* Each toggle is hidden while its step is open, so the step's buttons are the only ones (one "Rotate key"). */}
          <button
            ref={renameToggle}
            type="button"
            hidden={step === "rename"}
            onClick={() => setStep("rename")}
            aria-expanded={step === "rename"}
            aria-label={`Rename ${called}`}
            className={BUTTON}
          >
            Rename
          </button>
          {expires && (
            <button
              ref={expiryToggle}
              type="button"
              hidden={step === "expiry"}
              onClick={() => setStep("expiry")}
              aria-expanded={step === "expiry"}
              aria-label={`${apiKey.expiresAt ? "Change" : "Set"} expiry of key ${apiKey.name}`}
              className={BUTTON}
            >
              {apiKey.expiresAt ? "Change expiry" : "Set expiry"}
            </button>
          )}
          {!retiring && (
            <button
              ref={rotateToggle}
              type="button"
              hidden={step === "rotate"}
              onClick={() => {
                onRotateStart();
                setStep("rotate");
              }}
              aria-expanded={step === "rotate"}
              aria-label={`Rotate key ${apiKey.name}`}
              className={BUTTON}
            >
              Rotate
            </button>
          )}
          {!(bound && !retiring) && (
            <button type="button" onClick={onRevoke} disabled={revoke.pending} aria-label={`Revoke ${called}`} className={DANGER_BUTTON}>
              {revoke.pending ? "Revoking…" : "Revoke"}
            </button>
          )}
        </div>
      </div>
      {step === "rotate" && (
        <RotateKey
          apiKey={apiKey}
          onRotated={(fresh) => {
            setStep(null);
            onRotated(fresh);
          }}
          onCancel={() => closeStep(rotateToggle.current)}
        />
      )}
      {step === "rename" && <RenameKey apiKey={apiKey} onDone={() => closeStep(renameToggle.current)} />}
      {step === "expiry" && <KeyExpiry apiKey={apiKey} onDone={() => closeStep(expiryToggle.current)} />}
      <div className="flex flex-wrap items-center gap-2">
        {value === null ? (
          <code className="rounded bg-zinc-100 px-2 py-1 font-mono text-sm dark:bg-zinc-800">
            <Masked hint={apiKey.hint} label="Hidden value ending in" />
          </code>
        ) : (
          <span className="flex min-w-0 flex-1 flex-wrap items-center gap-3 rounded-lg bg-zinc-900 px-3 py-1.5">
            <code
              aria-label={retiring ? `Value of retiring ${apiKey.name} key` : `Key value for ${apiKey.name}`}
              className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100"
            >
              {value}
            </code>
            <CopyButton text={value} label="Copy key" />
          </span>
        )}
        {/* One button that flips between Reveal and Hide, so keyboard focus stays on it. A team's viewers never see values. */}
        <button
          type="button"
          hidden={!mayReveal}
          onClick={value === null ? onReveal : () => setValue(null)}
          disabled={reveal.pending}
          aria-label={`${value === null ? "Reveal" : "Hide"} ${called}`}
          className={BUTTON}
        >
          {value !== null ? "Hide" : reveal.pending ? "Revealing…" : "Reveal"}
        </button>
      </div>
      <ErrorAlert error={reveal.error ?? revoke.error} />
    </li>
  );
}

/** `••••abcd` on screen, "…ending in abcd" to screen readers. */
function Masked({ hint, label = "the key ending in" }: { hint: string; label?: string }) {
  return (
    <>
      <span aria-hidden="true">••••</span>
      <span className="sr-only">{label} </span>
      {hint}
    </>
  );
}

function ExpiresAt({ iso }: { iso: string }) {
  const now = useNow();
  const absolute = `${dateTime.format(new Date(iso))} UTC`;
  return <p className="text-sm text-zinc-600 dark:text-zinc-400">Expires {now === null ? absolute : `${formatUntil(iso, now)} (${absolute})`}</p>;
}

function RetiresAt({ iso }: { iso: string }) {
  const now = useNow();
  const absolute = `${dateTime.format(new Date(iso))} UTC`;
  return (
    <p className="text-sm font-medium text-amber-800 dark:text-amber-300">
      {/* The server renders the absolute time; the browser adds how long that is from now. */}
      Stops working {now === null ? absolute : `${formatUntil(iso, now)} (${absolute})`}
    </p>
  );
}
