"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { KeyView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { ExpiryPicker, expiryFromForm, type ExpiryBody } from "./expiry-picker";
import { BUTTON, PRIMARY_BUTTON } from "./styles";
import { useSpaceUrl } from "./space";
import { useApiCall } from "./use-api-call";

/**
 * The expiry step, opened from a key's row: a new expiry (30/90/365 days or a date), or none.
 * Like renaming, it stays open (Saving…) until the refreshed list shows the change.
 */
export function KeyExpiry({ apiKey, onDone }: { apiKey: KeyView; onDone: () => void }) {
  const id = useId();
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  // Opening moves focus to the choice, so keyboard users start there.
  useEffect(() => form.current?.querySelector<HTMLSelectElement>("select")?.focus(), []);

  useEffect(() => {
    if (saved && !pending) onDone();
  }, [saved, pending, onDone]);

  async function save(body: ExpiryBody) {
    const result = await call(spaceUrl(`/api/keys/${encodeURIComponent(apiKey.id)}`), { method: "PATCH", body });
    if (result.ok) setSaved(true);
    else form.current?.querySelector<HTMLElement>("input[type=date], select")?.focus();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(expiryFromForm(new FormData(event.currentTarget)));
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !pending) onDone();
  }

  return (
    <form
      ref={form}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-zinc-50 p-4 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <h3 id={`${id}-title`} className="font-semibold">
        Expiry of {apiKey.name}
      </h3>
      <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
        When it expires, the key stops working and is deleted, as a rotated key&apos;s old value is; its usage stays in your history. You&apos;ll be told a day
        before.
      </p>
      <ExpiryPicker id={id} label="New expiry" allowNever={false} disabled={pending} describedBy={`${id}-hint`} />
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
          {pending ? "Saving…" : "Save expiry"}
        </button>
        {apiKey.expiresAt && (
          <button type="button" disabled={pending} onClick={() => void save({ expiresAt: null })} className={BUTTON}>
            Remove expiry
          </button>
        )}
        <button type="button" onClick={onDone} disabled={pending} className={BUTTON}>
          Cancel
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}
