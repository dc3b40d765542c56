/** @jsxImportSource preact */
import type { JSX } from "preact";
import type { TargetedEvent } from "preact/compat";
import { useEffect, useRef, useState } from "preact/hooks";
import { TOKEN_CLASS } from "@/lib/highlight/classes";
import type { TryItOperation } from "@/lib/openapi/try-it";
import type { CallResult } from "@/lib/try-it/call";
import type { Problem } from "@/lib/try-it/validate";
import { CopyButton } from "./copy-button";
import { KeyOptions } from "./key-options";
import { keyActions, useKeyState } from "./key-store";

/** What /api/try answers: the API's response, and whether the body was checked before it went out. */
type Result = CallResult & { checked?: { state: "valid" | "skipped" | "unchecked"; reason?: string } };
/** A refusal before anything was sent: why, what to do (products to subscribe to), or the request's problems. */
type Refusal = { message: string; reason?: string; products?: { name: string; slug: string }[]; problems?: Problem[] };

const initial = (p: TryItOperation["parameters"][number]) => (p.required ? (p.example?.replace(/^"|"$/g, "") ?? p.enum?.[0] ?? "") : "");

const INPUT =
  "focus-ring w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-invalid:border-red-400";
const BUTTON = "focus-ring rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
const LINK = "focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500";
const ERROR_TEXT = "text-xs text-red-700 dark:text-red-300";
/** Prefer a JSON body when the spec offers several media types. */
const firstBody = (bodies: TryItOperation["bodies"]) =>
  Math.max(
    0,
    bodies.findIndex((b) => /json/i.test(b.contentType)),
  );

/**
 * Sends a real request through the portal (which only reaches this catalog's API stages) with the
 * reader's chosen key — the one the key picker and the samples use (key-store.ts), sent by id: the
 * server reads its value. Bodies start from the spec's example and are checked against the schema
 * on the server before anything goes out; problems show beside the fields, and "Send anyway"
 * sends as written (for testing an API's own error paths).
 */
export function TryIt({ api, operation }: { api: string; operation: TryItOperation }) {
  const id = `try-${operation.slug}`;
  const params = operation.parameters.filter((p) => p.in === "path" || p.in === "query");
  const hasBody = operation.bodies.length > 0 && !["GET", "HEAD"].includes(operation.method);
  const [bodyIndex, setBodyIndex] = useState(() => firstBody(operation.bodies));
  const body = hasBody ? operation.bodies[bodyIndex] : undefined;
  const example = body?.example !== undefined && !body.truncated ? body.example : undefined;
  const keys = useKeyState();
  // Until Preact runs, the form must not submit natively (it would load this page with the fields in its URL).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // Inputs are uncontrolled and read at send: what was typed before hydration is kept.
  async function send(validate: boolean) {
    const form = formRef.current;
    if (!form || pending) return;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? "");
    const pick = (location: string) => Object.fromEntries(params.filter((p) => p.in === location).map((p) => [p.name, field(`${p.in}:${p.name}`)]));
    const bodyText = field("body");
    setPending(true);
    setRefusal(null);
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
          ...(operation.apiKeyRequired && keys.key ? { keyId: keys.key.id, ...(keys.key.team ? { team: keys.key.team.slug } : {}) } : {}),
          ...(validate ? {} : { validate: false }),
        }),
      });
      // A refusal from in front of the portal (WAF, CloudFront) may not be JSON: still a message, not "unreachable".
      const json = await response.json().catch(() => null);
      if (response.ok && json) setResult(json as Result);
      else setRefusal(json?.error?.message ? (json.error as Refusal) : { message: `The request failed (${response.status}).` });
    } catch {
      setRefusal({ message: "The portal could not be reached. Check your connection and try again." });
    } finally {
      setPending(false);
    }
  }

  const problems = refusal?.problems ?? [];
  const problemsAt = (where: Problem["in"], name?: string) => problems.filter((p) => p.in === where && (name === undefined || p.path === name));
  const bodyProblems = problemsAt("body");

  return (
    <form
      ref={formRef}
      onSubmit={(event: TargetedEvent<HTMLFormElement, Event>) => {
        event.preventDefault();
        void send(true);
      }}
      className="flex flex-col gap-4 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
      aria-label="Try it"
      aria-busy={pending}
    >
      {operation.apiKeyRequired && <KeyChoice id={id} state={keys} />}
      {params.length > 0 && (
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium">Parameters</legend>
          {params.map((p, i) => {
            // By position: a name may hold spaces or quotes, which an id reference (htmlFor, aria-describedby) can't.
            const inputId = `${id}-p${i}`;
            const key = `${p.in}:${p.name}`;
            const own = problemsAt(p.in as Problem["in"], p.name);
            const described = own.length ? { "aria-invalid": true, "aria-describedby": `${inputId}-problem` } : {};
            return (
              <div key={key}>
                <label htmlFor={inputId} className="block font-mono text-xs">
                  {p.name}{" "}
                  <span className="font-sans text-zinc-600 dark:text-zinc-400">
                    ({p.in}
                    {p.required ? ", required" : ""})
                  </span>
                </label>
                {p.enum ? (
                  <select id={inputId} name={key} className={INPUT} required={p.required} {...described}>
                    {!p.required && <option value="">—</option>}
                    {p.enum.map((v) => (
                      <option key={v} selected={v === initial(p)}>
                        {v}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={inputId} name={key} defaultValue={initial(p)} className={INPUT} required={p.required} placeholder={p.type} {...described} />
                )}
                {own.length > 0 && (
                  <p id={`${inputId}-problem`} className={ERROR_TEXT}>
                    {own.map((problem) => problem.message).join("; ")}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {body && (
        <div className="flex flex-col gap-1.5">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <label htmlFor={`${id}-body`} className="text-sm font-medium">
              Request body
            </label>
            {operation.bodies.length > 1 ? (
              <select
                aria-label="Body media type"
                value={String(bodyIndex)}
                onChange={(e) => setBodyIndex(Number(e.currentTarget.value))}
                className="focus-ring rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
              >
                {operation.bodies.map((b, i) => (
                  <option key={b.contentType} value={String(i)}>
                    {b.contentType}
                  </option>
                ))}
              </select>
            ) : (
              <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{body.contentType}</span>
            )}
          </div>
          <textarea
            // A new media type starts from its own example.
            key={body.contentType}
            ref={bodyRef}
            id={`${id}-body`}
            name="body"
            rows={8}
            className={INPUT}
            spellcheck={false}
            aria-invalid={bodyProblems.length > 0}
            aria-describedby={`${id}-body-note${bodyProblems.length ? ` ${id}-body-problems` : ""}`}
          >
            {/* The text node is the default value: hydration keeps it (a defaultValue prop would hydrate to an empty box). */}
            {example ?? ""}
          </textarea>
          <div className="flex flex-wrap items-center gap-2">
            {example !== undefined && (
              <button
                type="button"
                className={BUTTON}
                onClick={() => {
                  if (bodyRef.current) bodyRef.current.value = example;
                  setRefusal(null);
                }}
              >
                Reset to example
              </button>
            )}
            <p id={`${id}-body-note`} className="text-xs text-zinc-600 dark:text-zinc-400">
              {example === undefined ? "The spec has no example for this body." : body.generated ? "Example generated from the schema." : "The spec's example."}
              {body.schema && /json/i.test(body.contentType) ? " Checked against the schema before sending." : ""}
            </p>
          </div>
          {bodyProblems.length > 0 && (
            <ul id={`${id}-body-problems`} className={`list-disc pl-5 ${ERROR_TEXT}`}>
              {bodyProblems.map((p) => (
                <li key={`${p.path}\n${p.message}`}>
                  {p.path ? <code className="font-mono">{p.path}</code> : "The body"} {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending || !hydrated}
          className="focus-ring rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Sending…" : `Send ${operation.method} request`}
        </button>
        {problems.length > 0 && (
          <button type="button" className={BUTTON} disabled={pending} onClick={() => void send(false)}>
            Send anyway
          </button>
        )}
        <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {pending ? "Waiting for the API…" : result ? `${result.status} ${result.statusText} in ${result.durationMs} ms` : ""}
        </span>
      </div>
      <div aria-live="assertive">{refusal && <RefusalNote refusal={refusal} />}</div>
      {result && <ResponseView id={id} result={result} />}
    </form>
  );
}

/** The key this console sends with: the one chosen in the key picker (the same shared choice). */
function KeyChoice({ id, state }: { id: string; state: ReturnType<typeof useKeyState> }) {
  if (state.keys === null) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading your keys…</p>;
  if (state.keys.length === 0 && state.error)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Your keys couldn&apos;t be loaded ({state.error}). Sending uses your first key that works here.
      </p>
    );
  if (state.keys.length === 0)
    return (
      <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        This operation needs an API key, and you have none yet.{" "}
        <a href="/dashboard" className="focus-ring rounded font-medium underline underline-offset-4">
          Create one on your dashboard
        </a>
        , subscribed to a plan that includes this API.
      </p>
    );
  return (
    <div>
      <label htmlFor={`${id}-key`} className="block text-sm font-medium">
        API key
      </label>
      <select
        id={`${id}-key`}
        value={state.selectedId}
        onChange={(e) => keyActions.select(e.currentTarget.value)}
        aria-describedby={`${id}-key-note`}
        className="focus-ring mt-1 w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <KeyOptions keys={state.keys} />
        {/* The picker's "none" (samples read $API_KEY): the server then uses their first key that works here. */}
        <option value="">Your first key that works here</option>
      </select>
      <p id={`${id}-key-note`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        The same key as the samples. The portal adds its value to the request on its side.
      </p>
    </div>
  );
}

function RefusalNote({ refusal }: { refusal: Refusal }) {
  const products = refusal.products ?? [];
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p>{refusal.message}</p>
      {(refusal.reason === "no_key" || refusal.reason === "unknown_key") && (
        <p className="mt-1">
          <a href="/dashboard" className={LINK}>
            Create or manage your keys
          </a>
        </p>
      )}
      {products.length > 0 && refusal.reason !== "unknown_key" && (
        <p className="mt-1">
          Plans that include this API:{" "}
          {products.map((p, i) => (
            <span key={p.slug}>
              {i > 0 && ", "}
              <a href={`/products/${encodeURIComponent(p.slug)}`} className={LINK}>
                {p.name}
              </a>
            </span>
          ))}
        </p>
      )}
      {refusal.problems && refusal.problems.length > 0 && <p className="mt-1">Fix the fields marked above, or choose “Send anyway” to send it as written.</p>}
    </div>
  );
}

const STATUS_COLOURS: Record<number, string> = {
  2: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  3: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  4: "bg-amber-100 text-amber-950 dark:bg-amber-900/40 dark:text-amber-100",
  5: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
};

const size = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function ResponseView({ id, result }: { id: string; result: Result }) {
  const json = /json/i.test(result.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "") || /^\s*[[{]/.test(result.body);
  let text = result.body;
  let parsed = false;
  if (json && !result.truncated) {
    try {
      text = JSON.stringify(JSON.parse(result.body), null, 2);
      parsed = true;
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  return (
    <section aria-labelledby={`${id}-response`} className="flex flex-col gap-2" data-testid="try-it-response">
      <h3 id={`${id}-response`} className="sr-only">
        Response
      </h3>
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className={`rounded px-1.5 py-0.5 font-mono font-semibold ${STATUS_COLOURS[Math.floor(result.status / 100)] ?? STATUS_COLOURS[5]}`}>
          {result.status} {result.statusText}
        </span>
        <span className="text-zinc-600 dark:text-zinc-400">{result.durationMs} ms</span>
        <span className="text-zinc-600 dark:text-zinc-400">{size(result.sizeBytes)}</span>
        {result.request.keyName && <span className="text-zinc-600 dark:text-zinc-400">key “{result.request.keyName}”</span>}
      </p>
      {result.explanation && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {result.explanation}
        </p>
      )}
      {result.checked?.state === "unchecked" && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">The body was sent without checking: {result.checked.reason}.</p>
      )}
      {result.checked?.state === "skipped" && <p className="text-xs text-zinc-600 dark:text-zinc-400">Sent as written, without checking the body.</p>}
      <details>
        <summary className="focus-ring cursor-pointer rounded text-sm font-medium">Headers ({result.headers.length})</summary>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 font-mono text-xs">
          {result.headers.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="text-zinc-600 dark:text-zinc-400">{name}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div className="flex flex-col gap-1">
        <div className="flex items-center justify-between">
          <span className="text-sm font-medium">Body</span>
          {text && <CopyButton text={text} label="Copy body" />}
        </div>
        <pre
          className="hl focus-ring max-h-96 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-900"
          tabIndex={0}
          aria-label="Response body"
        >
          <code>{text ? parsed ? <Highlighted json={text} /> : text : "(empty body)"}</code>
        </pre>
      </div>
      {result.truncated && <p className="text-xs text-zinc-600 dark:text-zinc-400">The response was cut at 256 KB.</p>}
    </section>
  );
}

/** Past this, plain text: a span per token would make a huge answer slow to show. */
const MAX_HIGHLIGHTED_CHARS = 100_000;
/** Strings (a key when a colon follows), literals and numbers in pretty-printed JSON. */
const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
// The samples' colours (lib/highlight/classes.ts, app/globals.css): the same in both themes' code blocks.
const TOKEN_COLOURS = { key: TOKEN_CLASS.parameter, string: TOKEN_CLASS.string, literal: TOKEN_CLASS.keyword, number: TOKEN_CLASS.constant };

/** A few coloured spans for JSON: no highlighting library shipped to the browser. */
function Highlighted({ json }: { json: string }) {
  if (json.length > MAX_HIGHLIGHTED_CHARS) return <>{json}</>;
  const parts: (string | JSX.Element)[] = [];
  let last = 0;
  for (const match of json.matchAll(JSON_TOKEN)) {
    const at = match.index;
    if (at > last) parts.push(json.slice(last, at));
    const [token, string, colon] = match;
    const kind = string !== undefined ? (colon ? "key" : "string") : /^[tfn]/.test(token) ? "literal" : "number";
    parts.push(
      <span key={at} className={TOKEN_COLOURS[kind]}>
        {string ?? token}
      </span>,
    );
    if (colon) parts.push(colon);
    last = at + token.length;
  }
  parts.push(json.slice(last));
  return <>{parts}</>;
}
