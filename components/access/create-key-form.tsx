"use client";

import { useId, type FormEvent } from "react";
import { KEY_NAME_MAX_LENGTH } from "@/lib/access/input-rules";
import type { KeyView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { INPUT, PRIMARY_BUTTON } from "./styles";
import { useApiCall, useHydrated } from "./use-api-call";

/** Names and creates a key; the parent shows the value once. Disabled, with the reason, at the limit (of active keys). */
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
  const atMax = count >= maxKeys;

  // The input is uncontrolled and read at submit: what was typed before hydration is kept.
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    if (!name) return;
    onStart();
    const result = await call<{ key: KeyView; value: string }>("/api/keys", { method: "POST", body: { name } });
    if (result.ok) {
      form.reset();
      onCreated(result.data.key, result.data.value);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <label htmlFor={`${id}-name`} className="text-sm font-medium">
        Key name
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
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
          className={`${INPUT} sm:max-w-xs`}
        />
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
