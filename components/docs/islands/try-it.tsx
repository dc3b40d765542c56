/** @jsxImportSource preact */
import type { TargetedEvent } from "preact/compat";
import { useEffect, useState } from "preact/hooks";
import type { TryItOperation } from "@/lib/openapi/try-it";
import type { RelayResponse } from "@/lib/try-it/relay";

type Result = RelayResponse;

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const initial = (p: TryItOperation["parameters"][number]) => (p.required ? (p.example?.replace(/^"|"$/g, "") ?? p.enum?.[0] ?? "") : "");

const INPUT = "focus-ring w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** Sends a real request through the portal's relay (which only reaches this catalog's API stages). */
export function TryIt({ api, operation }: { api: string; operation: TryItOperation }) {
  const params = operation.parameters.filter((p) => p.in === "path" || p.in === "query");
  const body = operation.bodies[0];
  // Until React runs, the form must not submit natively (that would put the key in a URL).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [showKey, setShowKey] = useState(false);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Inputs are uncontrolled and read at submit: what was typed before hydration is kept.
  async function send(event: TargetedEvent<HTMLFormElement, Event>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? "");
    const pick = (location: string) => Object.fromEntries(params.filter((p) => p.in === location).map((p) => [p.name, field(`${p.in}:${p.name}`)]));
    const bodyText = field("body");
    const apiKey = field("apiKey");
    setPending(true);
    setError(null);
    setResult(null);
    try {
      const response = await fetch("/api/try", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          api,
          operation: operation.slug,
          pathParams: pick("path"),
          query: pick("query"),
          ...(body && bodyText ? { body: bodyText, contentType: body.contentType } : {}),
          ...(apiKey ? { apiKey } : {}),
        }),
      });
      // A refusal from in front of the portal (WAF, CloudFront) may not be JSON: still a message, not "unreachable".
      const json = await response.json().catch(() => null);
      if (response.ok && json) setResult(json as Result);
      else setError(json?.error?.message ?? `The request failed (${response.status}).`);
    } catch {
      setError("The portal could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={send} className="flex flex-col gap-4 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" aria-label="Try it">
      {operation.apiKeyRequired && (
        <div>
          <label htmlFor="try-key" className="block text-sm font-medium">
            API key
          </label>
          <div className="mt-1 flex gap-2">
            <input
              id="try-key"
              name="apiKey"
              type={showKey ? "text" : "password"}
              autoComplete="off"
              spellcheck={false}
              className={INPUT}
              placeholder="Paste one of your keys"
            />
            <button
              type="button"
              onClick={() => setShowKey(!showKey)}
              aria-pressed={showKey}
              className="focus-ring shrink-0 rounded-md border border-zinc-300 px-3 text-sm dark:border-zinc-700"
            >
              {showKey ? "Hide" : "Show"}
            </button>
          </div>
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Sent once with this request, never stored.</p>
        </div>
      )}
      {params.length > 0 && (
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium">Parameters</legend>
          {params.map((p) => {
            const id = `try-${p.in}-${p.name}`;
            const key = `${p.in}:${p.name}`;
            return (
              <div key={key}>
                <label htmlFor={id} className="block font-mono text-xs">
                  {p.name}{" "}
                  <span className="font-sans text-zinc-500 dark:text-zinc-400">
                    ({p.in}
                    {p.required ? ", required" : ""})
                  </span>
                </label>
                {p.enum ? (
                  <select id={id} name={key} className={INPUT} required={p.required}>
                    {!p.required && <option value="">—</option>}
                    {p.enum.map((v) => (
                      <option key={v} selected={v === initial(p)}>
                        {v}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={id} name={key} defaultValue={initial(p)} className={INPUT} required={p.required} placeholder={p.type} />
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {body && !["GET", "HEAD"].includes(operation.method) && (
        <div>
          <label htmlFor="try-body" className="block text-sm font-medium">
            Request body <span className="font-normal text-zinc-500 dark:text-zinc-400">({body.contentType})</span>
          </label>
          <textarea id="try-body" name="body" rows={8} defaultValue={body.example ?? ""} className={INPUT} spellcheck={false} />
        </div>
      )}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending || !hydrated}
          className="focus-ring rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Sending…" : `Send ${operation.method} request`}
        </button>
        <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {pending ? "Waiting for the API…" : result ? `${result.status} ${result.statusText} in ${result.durationMs} ms` : ""}
        </span>
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
      {result && (
        <section aria-label="Response" className="flex flex-col gap-2" data-testid="try-it-response">
          <p className="text-sm">
            <span
              className={`rounded px-1.5 py-0.5 font-mono font-semibold ${result.status < 400 ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200" : "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200"}`}
            >
              {result.status}
            </span>{" "}
            {result.statusText}
          </p>
          <details>
            <summary className="focus-ring cursor-pointer rounded text-sm font-medium">Headers ({result.headers.length})</summary>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 font-mono text-xs">
              {result.headers.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="text-zinc-500 dark:text-zinc-400">{name}</dt>
                  <dd className="break-all">{value}</dd>
                </div>
              ))}
            </dl>
          </details>
          <pre className="max-h-96 overflow-auto rounded-lg bg-zinc-900 p-3 font-mono text-xs text-zinc-100">
            <code>{pretty(result.body) || "(empty body)"}</code>
          </pre>
          {result.truncated && <p className="text-xs text-zinc-600 dark:text-zinc-400">The response was cut at 256 KB.</p>}
        </section>
      )}
    </form>
  );
}
