"use client";

import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent } from "react";
import type { GracePeriod, KeyView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { BUTTON, PRIMARY_BUTTON } from "./styles";
import { PROPAGATION } from "./propagation";
import { useSpaceUrl } from "./space";
import { useApiCall, useHydrated } from "./use-api-call";

/** What a rotation hands back: the new key and its value (shown once), and the key it replaced. */
type Rotated = { key: KeyView; value: string; retired: KeyView | null };

const CHOICES: { value: GracePeriod; label: string; explanation: string }[] = [
  { value: "none", label: "No grace period", explanation: PROPAGATION.noGrace },
  { value: "1h", label: "1 hour", explanation: "Both keys work for an hour, then the old one stops." },
  { value: "24h", label: "24 hours", explanation: "A day to roll the new key out to your apps." },
  { value: "7d", label: "7 days", explanation: "For apps that are slow to update." },
];

/**
 * The rotate step, opened from a key's row: asks how long the old value keeps working,
 * then hands the new value to the parent to show once.
 */
export function RotateKey({ apiKey, onRotated, onCancel }: { apiKey: KeyView; onRotated: (rotated: Rotated) => void; onCancel: () => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const fieldset = useRef<HTMLFieldSetElement>(null);

  // Opening moves focus into the choices (the default one) so keyboard users start there.
  useEffect(() => fieldset.current?.querySelector<HTMLInputElement>("input:checked")?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const grace = String(new FormData(event.currentTarget).get("grace") ?? "24h") as GracePeriod;
    const result = await call<Rotated>(spaceUrl(`/api/keys/${encodeURIComponent(apiKey.id)}/rotate`), { method: "POST", body: { grace } });
    if (result.ok) onRotated(result.data);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !pending) onCancel();
  }

  return (
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      aria-labelledby={`${id}-title`}
      className="rounded-lg border border-zinc-200 bg-zinc-50 p-4 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <h3 id={`${id}-title`} className="font-semibold">
        Rotate {apiKey.name}
      </h3>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        A new value replaces this one. Choose how long the old value keeps working while you update your apps.
      </p>
      <fieldset ref={fieldset} className="mt-3">
        <legend className="text-sm font-medium">Grace period for the old value</legend>
        <div className="mt-2 flex flex-col gap-2">
          {CHOICES.map((choice) => (
            <div key={choice.value} className="flex items-start gap-2">
              <input
                type="radio"
                id={`${id}-${choice.value}`}
                name="grace"
                value={choice.value}
                defaultChecked={choice.value === "24h"}
                aria-describedby={`${id}-${choice.value}-explanation`}
                className="focus-ring mt-1 accent-brand-600"
              />
              <div className="text-sm">
                <label htmlFor={`${id}-${choice.value}`} className="font-medium">
                  {choice.label}
                </label>
                <p id={`${id}-${choice.value}-explanation`} className="text-zinc-600 dark:text-zinc-400">
                  {choice.explanation}
                </p>
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <button type="submit" disabled={pending || !hydrated} className={PRIMARY_BUTTON}>
          {pending ? "Rotating…" : "Rotate key"}
        </button>
        <button type="button" onClick={onCancel} disabled={pending} className={BUTTON}>
          Cancel
        </button>
      </div>
      <ErrorAlert error={error} className="mt-3" />
    </form>
  );
}
