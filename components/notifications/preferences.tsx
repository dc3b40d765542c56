"use client";

import { useId, useRef, useState } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { CARD } from "@/components/access/styles";
import { apiFetch, type ApiError } from "@/components/ui/api-fetch";
import type { Category, Channel, Preferences } from "@/lib/notifications";

export interface CategoryInfo {
  name: Category;
  label: string;
  description: string;
}

const CHANNEL_LABEL: Record<Channel, string> = { email: "Email", webhook: "Webhooks" };
const CHANNEL_ORDER: Channel[] = ["email", "webhook"];

/** A checkbox drawn as a switch: still a native checkbox (space toggles it, forms and tests see it as one). */
const SWITCH =
  "focus-ring relative h-6 w-11 shrink-0 cursor-pointer appearance-none rounded-full bg-zinc-300 transition-colors before:absolute before:top-0.5 before:left-0.5 before:size-5 before:rounded-full before:bg-white before:shadow before:transition-transform before:content-[''] checked:bg-brand-600 checked:before:translate-x-5 disabled:cursor-wait disabled:opacity-60 motion-reduce:transition-none motion-reduce:before:transition-none dark:bg-zinc-600 dark:checked:bg-brand-500";

type CellState = { state: "saving" | "saved" | "error"; n: number };
const cellKey = (channel: Channel, category: Category) => `${channel}.${category}`;

/**
 * Categories × channels, each a switch that saves at once (PATCH of that one value). The switch
 * moves first and goes back if the portal refuses; what happened is shown next to it and said in
 * a polite live region (an error is an alert).
 */
export function PreferencesTable({ initial, categories, email }: { initial: Preferences; categories: CategoryInfo[]; email: string | null }) {
  const id = useId();
  const [prefs, setPrefs] = useState(initial);
  const [cells, setCells] = useState<Record<string, CellState>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // The newest request per switch wins: an older answer arriving late must not undo a newer click.
  const latest = useRef<Record<string, number>>({});

  async function change(channel: Channel, category: CategoryInfo, value: boolean) {
    const key = cellKey(channel, category.name);
    const n = (latest.current[key] ?? 0) + 1;
    latest.current[key] = n;
    setError(null);
    setPrefs((p) => ({ ...p, [channel]: { ...p[channel], [category.name]: value } }));
    setCells((c) => ({ ...c, [key]: { state: "saving", n } }));
    const result = await apiFetch<{ preferences: Preferences }>("/api/notifications/preferences", {
      method: "PATCH",
      body: { [channel]: { [category.name]: value } },
    });
    if (latest.current[key] !== n) return;
    if (result.ok) {
      setPrefs(result.data.preferences);
      setCells((c) => ({ ...c, [key]: { state: "saved", n } }));
      setAnnouncement(`Saved: ${CHANNEL_LABEL[channel]} ${category.label.toLowerCase()} ${value ? "on" : "off"}.`);
    } else {
      setPrefs((p) => ({ ...p, [channel]: { ...p[channel], [category.name]: !value } }));
      setCells((c) => ({ ...c, [key]: { state: "error", n } }));
      setError({ ...result.error, message: `${CHANNEL_LABEL[channel]}: ${category.label} wasn't saved. ${result.error.message}` });
      setAnnouncement("");
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-4">
      <div>
        <h2 id={`${id}-title`} className="text-xl font-semibold">
          What you hear about
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {email ? (
            <>
              Emails go to <strong className="font-medium text-zinc-900 dark:text-zinc-100">{email}</strong>, your account&apos;s address.{" "}
            </>
          ) : (
            <>Your account has no email address, so no emails are sent. </>
          )}
          Webhook notices go to every enabled endpoint below. Each change is saved at once.
        </p>
      </div>
      <div className={`overflow-x-auto ${CARD}`}>
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Notification preferences by category and channel</caption>
          <thead className="border-b border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Category
              </th>
              {CHANNEL_ORDER.map((channel) => (
                <th key={channel} scope="col" className="w-24 px-2 py-2 text-center font-medium sm:w-32">
                  {CHANNEL_LABEL[channel]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {categories.map((category) => (
              <tr key={category.name}>
                <th scope="row" className="px-4 py-3 align-top font-normal">
                  <span className="block font-medium">{category.label}</span>
                  <span id={`${id}-${category.name}-about`} className="block text-zinc-600 dark:text-zinc-400">
                    {category.description}
                  </span>
                </th>
                {CHANNEL_ORDER.map((channel) => {
                  const key = cellKey(channel, category.name);
                  const inputId = `${id}-${key}`;
                  const cell = cells[key];
                  // An endpoint's own failures are told by email only: its webhook is what is failing.
                  if (channel === "webhook" && category.name === "webhooks")
                    return (
                      <td key={channel} className="px-2 py-3 text-center align-top text-xs text-zinc-600 dark:text-zinc-400">
                        Email only
                      </td>
                    );
                  return (
                    <td key={channel} className="px-2 py-3 text-center align-top">
                      <div className="flex flex-col items-center gap-1">
                        <label htmlFor={inputId} className="sr-only">
                          {CHANNEL_LABEL[channel]}: {category.label}
                        </label>
                        <input
                          id={inputId}
                          type="checkbox"
                          role="switch"
                          checked={prefs[channel][category.name]}
                          onChange={(event) => void change(channel, category, event.target.checked)}
                          aria-describedby={`${id}-${category.name}-about`}
                          className={SWITCH}
                        />
                        <CellStatus cell={cell} />
                      </div>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <ErrorAlert error={error} />
    </section>
  );
}

/** "Saving…", "Saved" or "Not saved" under a switch (hidden from screen readers: the live region says it once). */
function CellStatus({ cell }: { cell?: CellState }) {
  const text = cell?.state === "saving" ? "Saving…" : cell?.state === "saved" ? "Saved" : cell?.state === "error" ? "Not saved" : "";
  const tone =
    cell?.state === "error" ? "text-red-700 dark:text-red-300" : cell?.state === "saved" ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500";
  return (
    <span aria-hidden="true" className={`min-h-4 text-xs ${tone}`} data-testid="preference-status">
      {text && cell?.state === "saved" ? `✓ ${text}` : text}
    </span>
  );
}
