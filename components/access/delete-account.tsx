"use client";

import { PROPAGATION } from "./propagation";
import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "./error-alert";
import { INPUT } from "./styles";
import { useApiCall, useHydrated } from "./use-api-call";

/** The danger zone: deleting needs the user's email typed out, so it can't happen by a slip. */
export function DeleteAccount({ email }: { email: string }) {
  const id = useId();
  const hydrated = useHydrated();
  const { call, pending, error } = useApiCall();
  const [typed, setTyped] = useState("");
  const [leaving, setLeaving] = useState(false);
  const matches = typed.trim().toLowerCase() === email.toLowerCase();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    const result = await call("/api/account", { method: "DELETE", body: { confirm: email } }, { refresh: false });
    // The session went with the account: leave for the home page as a visitor.
    if (result.ok) {
      setLeaving(true);
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so no page cached for the signed-in user survives
      window.location.assign("/");
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-red-300 p-5 dark:border-red-900">
      <h2 id={`${id}-title`} className="text-xl font-semibold text-red-700 dark:text-red-300">
        Delete account
      </h2>
      <form onSubmit={submit} className="mt-2 flex flex-col gap-3 text-sm">
        <p className="text-zinc-700 dark:text-zinc-300">
          This deletes your API keys (apps using them get 403 {PROPAGATION.soon}), your subscriptions, your signed-in sessions and your sign-in account. It
          can&apos;t be undone.
        </p>
        <div>
          <label htmlFor={`${id}-email`} className="block font-medium">
            Type your email to confirm
          </label>
          <p id={`${id}-hint`} className="text-zinc-600 dark:text-zinc-400">
            Your email is {email}
          </p>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            aria-describedby={`${id}-hint`}
            className={`${INPUT} mt-1 max-w-sm`}
          />
        </div>
        <div>
          <button
            type="submit"
            disabled={!matches || pending || leaving || !hydrated}
            className="focus-ring rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-60"
          >
            {pending || leaving ? "Deleting…" : "Delete my account"}
          </button>
        </div>
        <ErrorAlert error={error} />
      </form>
    </section>
  );
}
