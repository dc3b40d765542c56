"use client";

import { useId, useState, type FormEvent } from "react";
import { KEY_NAME_MAX_LENGTH } from "@/lib/access/input-rules";
import type { KeyView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { ExpiryPicker, expiryFromForm } from "./expiry-picker";
import { INPUT, PRIMARY_BUTTON } from "./styles";
import { useSpaceUrl } from "./space";
import { useApiCall, useHydrated } from "./use-api-call";

/**
 * Names and creates a key, optionally expiring (never, 30/90/365 days, or a date); the parent shows
 * the value once. Disabled, with the reason, at the limit (of active keys).
 */
export function CreateKeyForm({
  count,
  maxKeys,
  onStart,
  onCreated,
}: {
  count: number;
  maxKeys: number;
  onStart: () => void;
  onCreated: (key: KeyView, value: string) => void;
}) {
  const id = useId();
  const hydrated = useHydrated();
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const atMax = count >= maxKeys;
  // A new picker after each key made: back to "Never", its date field gone.
  const [round, setRound] = useState(0);

  // The input is uncontrolled and read at submit: what was typed before hydration is kept.
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    if (!name) return;
    onStart();
    const expiry = expiryFromForm(data);
    // "Never" sends nothing: a key without expiry is the default.
    const body = "expiresAt" in expiry && expiry.expiresAt === null ? { name } : { name, ...expiry };
    const result = await call<{ key: KeyView; value: string }>(spaceUrl("/api/keys"), { method: "POST", body });
    if (result.ok) {
      form.reset();
      setRound((r) => r + 1);
      onCreated(result.data.key, result.data.value);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end">
        <div className="flex flex-col gap-1 sm:w-full sm:max-w-xs">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            Key name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={KEY_NAME_MAX_LENGTH}
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. ci-server"
            disabled={atMax}
            aria-describedby={`${id}-hint`}
            className={INPUT}
          />
        </div>
        <ExpiryPicker key={round} id={id} disabled={atMax} />
        <button type="submit" disabled={atMax || pending || !hydrated} className={PRIMARY_BUTTON}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </div>
      <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
        {atMax
          ? `You have ${count} of ${maxKeys} keys, the most allowed. Revoke one to create another.`
          : `Name it after where it runs, like ci-server. Up to ${KEY_NAME_MAX_LENGTH} letters, digits, spaces and _ . : / = + @ -`}
      </p>
      <ErrorAlert error={error} />
    </form>
  );
}
