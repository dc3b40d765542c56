"use client";

import { useId, useState, type FormEvent } from "react";
import { CARD, INPUT, PRIMARY_BUTTON } from "@/components/access/styles";
import { useHydrated } from "@/components/access/use-api-call";
import { apiFetch, type ApiError } from "@/components/ui/api-fetch";
import type { EndpointView } from "./format";

const FIELD_ERROR = "text-sm text-red-700 dark:text-red-300";

/**
 * Registers an endpoint. The portal checks the URL (https, a public address, DNS included) and
 * says what's wrong in words: the message goes next to the field it is about (the description's
 * length, else the URL), and the field is marked invalid.
 */
export function AddEndpointForm({
  count,
  max,
  allowPrivate,
  onCreated,
}: {
  count: number;
  max: number;
  /** Loopback and private targets are accepted (PORTICO_WEBHOOKS_ALLOW_PRIVATE, the sandbox). */
  allowPrivate: boolean;
  onCreated: (endpoint: EndpointView, secret: string) => void;
}) {
  const id = useId();
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ field: "url" | "description"; error: ApiError } | null>(null);
  const atMax = count >= max;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const url = String(data.get("url") ?? "").trim();
    const description = String(data.get("description") ?? "").trim();
    setError(null);
    setPending(true);
    const result = await apiFetch<{ endpoint: EndpointView; secret: string }>("/api/notifications/webhooks", {
      method: "POST",
      body: { url, ...(description ? { description } : {}) },
    });
    setPending(false);
    if (!result.ok) {
      const field = /description/i.test(result.error.message) ? "description" : "url";
      setError({ field, error: result.error });
      form.querySelector<HTMLInputElement>(`[name="${field}"]`)?.focus();
      return;
    }
    form.reset();
    onCreated(result.data.endpoint, result.data.secret);
  }

  const urlError = error?.field === "url" ? error.error.message : undefined;
  const descriptionError = error?.field === "description" ? error.error.message : undefined;

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`} className={`flex flex-col gap-4 p-5 ${CARD}`}>
      <h3 id={`${id}-title`} className="text-lg font-semibold">
        Add an endpoint
      </h3>
      <fieldset disabled={atMax} className="flex min-w-0 flex-col gap-4">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-url`} className="text-sm font-medium">
            Endpoint URL
          </label>
          <input
            id={`${id}-url`}
            name="url"
            type="url"
            inputMode="url"
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/webhooks/portico"
            aria-invalid={urlError ? true : undefined}
            aria-describedby={`${id}-url-hint${urlError ? ` ${id}-url-error` : ""}`}
            className={`${INPUT} font-mono aria-invalid:border-red-500`}
          />
          <p id={`${id}-url-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
            {allowPrivate
              ? "An http(s):// URL; this portal also accepts addresses on its own machine and network (a local sandbox)."
              : "An https:// URL on the public internet."}{" "}
            Each notice is POSTed there as JSON, signed with the endpoint&apos;s secret.
          </p>
          {urlError && (
            <p id={`${id}-url-error`} role="alert" className={FIELD_ERROR}>
              {urlError}
            </p>
          )}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-description`} className="text-sm font-medium">
            Description <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
          </label>
          <input
            id={`${id}-description`}
            name="description"
            maxLength={200}
            autoComplete="off"
            placeholder="e.g. Production alerts"
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={descriptionError ? `${id}-description-error` : undefined}
            className={`${INPUT} sm:max-w-sm aria-invalid:border-red-500`}
          />
          {descriptionError && (
            <p id={`${id}-description-error`} role="alert" className={FIELD_ERROR}>
              {descriptionError}
            </p>
          )}
        </div>
      </fieldset>
      <div className="flex flex-col gap-2">
        <div>
          <button type="submit" disabled={atMax || pending || !hydrated} aria-describedby={atMax ? `${id}-limit` : undefined} className={PRIMARY_BUTTON}>
            {pending ? "Adding…" : "Add endpoint"}
          </button>
        </div>
        {atMax && (
          <p id={`${id}-limit`} className="text-sm text-zinc-600 dark:text-zinc-400">
            You have {count} of {max} endpoints, the most allowed. Delete one to add another.
          </p>
        )}
      </div>
    </form>
  );
}
