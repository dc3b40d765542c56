"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { KEY_NAME_MAX_LENGTH } from "@/lib/access/input-rules";
import type { KeyView } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { BUTTON, INPUT, PRIMARY_BUTTON } from "./styles";
import { useSpaceUrl } from "./space";
import { useApiCall } from "./use-api-call";

/**
 * The rename step, opened from a key's row. It stays open (Saving…) until the refreshed list
 * shows the new name, so the row never flashes the old one.
 */
export function RenameKey({ apiKey, onDone }: { apiKey: KeyView; onDone: () => void }) {
  const id = useId();
  const { call, pending, error } = useApiCall();
  const spaceUrl = useSpaceUrl();
  const [saved, setSaved] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Opening selects the current name: typing replaces it, arrow keys edit it.
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  useEffect(() => {
    if (saved && !pending) onDone();
  }, [saved, pending, onDone]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (name === apiKey.name) return onDone();
    // An empty or invalid name goes to the server too: its message says what a name may be.
    const result = await call(spaceUrl(`/api/keys/${encodeURIComponent(apiKey.id)}`), { method: "PATCH", body: { name } });
    if (result.ok) setSaved(true);
    // Back to the name to fix it (a clicked Save was disabled meanwhile, which drops focus).
    else input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && !pending) onDone();
  }

  return (
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-zinc-50 p-4 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <label htmlFor={`${id}-name`} className="text-sm font-medium">
        New name for {apiKey.name}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <input
          ref={input}
          id={`${id}-name`}
          name="name"
          required
          maxLength={KEY_NAME_MAX_LENGTH}
          defaultValue={apiKey.name}
          autoComplete="off"
          spellCheck={false}
          readOnly={pending}
          aria-describedby={`${id}-hint`}
          className={`${INPUT} sm:max-w-xs`}
        />
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
            {pending ? "Saving…" : "Save"}
          </button>
          <button type="button" onClick={onDone} disabled={pending} className={BUTTON}>
            Cancel
          </button>
        </div>
      </div>
      <p id={`${id}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
        {`Only the name changes: the value, its plans and its usage stay. Up to ${KEY_NAME_MAX_LENGTH} letters, digits, spaces and`}{" "}
        <span className="whitespace-nowrap">_ . : / = + @ -</span>
      </p>
      <ErrorAlert error={error} />
    </form>
  );
}
