"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, CARD } from "@/components/access/styles";
import { apiFetch, type ApiError } from "@/components/ui/api-fetch";
import { CopyButton } from "@/components/ui/copy-button";
import { AddEndpointForm } from "./add-endpoint-form";
import { BADGE, deliverySummary, describeStatus, formatTime, STATE_STYLE, type DeliveryView, type EndpointView } from "./format";

/** A secret the server just made (at creation or rotation): in this answer and nowhere else, ever. */
interface FreshSecret {
  endpoint: EndpointView;
  secret: string;
  rotated: boolean;
}

const DANGER_TRIGGER =
  "focus-ring rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950";
const TRIGGER = `${BUTTON} aria-disabled:cursor-not-allowed aria-disabled:opacity-60`;

/**
 * The developer's webhook endpoints: the add form, the one-time display of a new secret, and one
 * row per endpoint with its health and actions. The list is kept here (each action answers the
 * endpoint as it now is), so nothing waits for a page refresh. `onDelivery` tells the delivery log
 * that a test event was sent.
 */
export function WebhookEndpoints({
  initial,
  max,
  allowPrivate,
  onDelivery,
}: {
  initial: EndpointView[];
  max: number;
  allowPrivate: boolean;
  onDelivery: () => void;
}) {
  const id = useId();
  const [endpoints, setEndpoints] = useState(initial);
  const [fresh, setFresh] = useState<FreshSecret | null>(null);
  const [status, setStatus] = useState({ message: "", n: 0 });
  const listHeading = useRef<HTMLHeadingElement>(null);
  const say = (message: string) => setStatus((s) => ({ message, n: s.n + 1 }));

  const replace = (endpoint: EndpointView) => setEndpoints((list) => list.map((e) => (e.id === endpoint.id ? endpoint : e)));

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-6">
      <div>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={`${id}-title`} className="text-xl font-semibold">
            Webhook endpoints
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="endpoint-count">
            {endpoints.length} of {max} endpoints
          </p>
        </div>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Each delivery is signed per the Standard Webhooks spec; a failed one is retried with growing waits for over a day. An endpoint whose deliveries all
          fail for a day is disabled, and you get an email.
        </p>
      </div>

      <AddEndpointForm
        count={endpoints.length}
        max={max}
        allowPrivate={allowPrivate}
        onCreated={(endpoint, secret) => {
          setEndpoints((list) => [...list, endpoint]);
          setFresh({ endpoint, secret, rotated: false });
          say(`Endpoint ${endpoint.url} added. Copy its signing secret now: you won't see it again.`);
        }}
      />

      {fresh && (
        <NewSecret
          fresh={fresh}
          onDone={() => {
            setFresh(null);
            listHeading.current?.focus();
          }}
        />
      )}

      <div>
        <h3 id={`${id}-list`} ref={listHeading} tabIndex={-1} className="mb-3 text-lg font-semibold outline-none">
          Your endpoints
        </h3>
        <p role="status" className="sr-only">
          {status.message}
        </p>
        {endpoints.length === 0 ? (
          <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            No endpoints yet. Add one above to get notices as signed HTTP requests.
          </p>
        ) : (
          <ul aria-labelledby={`${id}-list`} className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`}>
            {endpoints.map((endpoint) => (
              <EndpointRow
                key={endpoint.id}
                endpoint={endpoint}
                onChanged={(changed, message) => {
                  replace(changed);
                  say(message);
                }}
                onRotated={(changed, secret) => {
                  replace(changed);
                  setFresh({ endpoint: changed, secret, rotated: true });
                  say(`New secret for ${changed.url}. Copy it now: you won't see it again.`);
                }}
                onDeleted={() => {
                  setEndpoints((list) => list.filter((e) => e.id !== endpoint.id));
                  if (fresh?.endpoint.id === endpoint.id) setFresh(null);
                  say(`Endpoint ${endpoint.url} deleted.`);
                  listHeading.current?.focus();
                }}
                onTested={(endpointNow) => {
                  if (endpointNow) replace(endpointNow);
                  onDelivery();
                }}
              />
            ))}
          </ul>
        )}
      </div>

      <VerifyNote />
    </section>
  );
}

function NewSecret({ fresh, onDone }: { fresh: FreshSecret; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  // Take focus so screen readers announce the secret's arrival and keyboard users land next to Copy.
  useEffect(() => heading.current?.focus(), [fresh]);
  return (
    <div
      role="region"
      aria-labelledby={id}
      data-testid="webhook-secret"
      className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950/40"
    >
      <h3 id={id} ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        {fresh.rotated ? "New signing secret" : "Endpoint added"}: <span className="font-mono text-base break-all">{fresh.endpoint.url}</span>
      </h3>
      <p className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <span aria-hidden="true">⚠ </span>You won&apos;t see this secret again. Copy it now into your receiver&apos;s configuration; if you lose it, rotate the
        secret to get a new one.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-3 rounded-lg bg-zinc-900 px-3 py-2">
        <code aria-label="Signing secret" data-testid="webhook-secret-value" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100">
          {fresh.secret}
        </code>
        <CopyButton text={fresh.secret} label="Copy secret" />
      </div>
      {fresh.rotated && fresh.endpoint.previousSecretUntil && (
        <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          Deliveries are signed with both secrets until {formatTime(fresh.endpoint.previousSecretUntil)}, so your receiver keeps accepting them while you
          switch.
        </p>
      )}
      <button type="button" onClick={onDone} className={`${BUTTON} mt-3 bg-white dark:bg-zinc-950`}>
        Done, hide the secret
      </button>
    </div>
  );
}

function EndpointRow({
  endpoint,
  onChanged,
  onRotated,
  onDeleted,
  onTested,
}: {
  endpoint: EndpointView;
  onChanged: (endpoint: EndpointView, message: string) => void;
  onRotated: (endpoint: EndpointView, secret: string) => void;
  onDeleted: () => void;
  onTested: (endpoint?: EndpointView) => void;
}) {
  const id = useId();
  const [busy, setBusy] = useState<"test" | "toggle" | "rotate" | "delete" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [test, setTest] = useState<DeliveryView | null>(null);
  const enabled = endpoint.state === "enabled";
  const base = `/api/notifications/webhooks/${encodeURIComponent(endpoint.id)}`;

  /** One action at a time per endpoint; a refusal is shown under the row. Undefined when it failed. */
  async function run<T>(what: NonNullable<typeof busy>, url: string, init: { method: string; body?: unknown }): Promise<{ data: T } | undefined> {
    setBusy(what);
    setError(null);
    const result = await apiFetch<T>(url, init);
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return undefined;
    }
    return { data: result.data };
  }

  async function sendTest() {
    setTest(null);
    const sent = await run<DeliveryView>("test", `${base}/test`, { method: "POST" });
    if (!sent) return;
    setTest(sent.data);
    // The attempt updated the endpoint's health (last status, failing since): read it again.
    const list = await apiFetch<{ endpoints: EndpointView[] }>("/api/notifications/webhooks");
    onTested(list.ok ? list.data.endpoints.find((e) => e.id === endpoint.id) : undefined);
  }

  async function toggle() {
    const changed = await run<{ endpoint: EndpointView }>("toggle", base, { method: "PATCH", body: { enabled: !enabled } });
    if (changed) onChanged(changed.data.endpoint, `Endpoint ${endpoint.url} ${changed.data.endpoint.state}.`);
  }

  async function rotate() {
    const rotated = await run<{ endpoint: EndpointView; secret: string }>("rotate", `${base}/rotate`, { method: "POST" });
    if (rotated) onRotated(rotated.data.endpoint, rotated.data.secret);
  }

  async function remove() {
    if (await run<null>("delete", base, { method: "DELETE" })) onDeleted();
  }

  return (
    <li aria-labelledby={`${id}-url`} className="flex flex-col gap-3 px-4 py-4" data-testid="webhook-endpoint">
      <div className="flex min-w-0 flex-col gap-1.5">
        <p className="flex flex-wrap items-center gap-2">
          <span id={`${id}-url`} className="font-mono text-sm font-medium break-all">
            {endpoint.url}
          </span>
          <span className={`${BADGE} ${STATE_STYLE[endpoint.state]}`}>{enabled ? "Enabled" : "Disabled"}</span>
        </p>
        {endpoint.description && <p className="text-sm">{endpoint.description}</p>}
        {!enabled && endpoint.disabledReason && <p className="text-sm text-red-800 dark:text-red-300">{endpoint.disabledReason}</p>}
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          <dt>Last delivery</dt>
          <dd>
            {endpoint.lastDeliveryAt
              ? `${endpoint.lastStatus ? describeStatus(endpoint.lastStatus) : "—"} · ${formatTime(endpoint.lastDeliveryAt)}`
              : "None yet"}
          </dd>
          {endpoint.failingSince && (
            <>
              <dt>Failing since</dt>
              <dd className="text-red-800 dark:text-red-300">{formatTime(endpoint.failingSince)}</dd>
            </>
          )}
          {endpoint.previousSecretUntil && (
            <>
              <dt>Old secret</dt>
              <dd>Also signs until {formatTime(endpoint.previousSecretUntil)}</dd>
            </>
          )}
          <dt>Added</dt>
          <dd>{formatTime(endpoint.createdAt)}</dd>
        </dl>
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => busy === null && void sendTest()}
          aria-disabled={busy !== null || undefined}
          aria-label={`Send test event to ${endpoint.url}`}
          className={TRIGGER}
        >
          {busy === "test" ? "Sending…" : "Send test event"}
        </button>
        <button
          type="button"
          onClick={() => busy === null && void toggle()}
          aria-disabled={busy !== null || undefined}
          aria-label={`${enabled ? "Disable" : "Enable"} ${endpoint.url}`}
          className={TRIGGER}
        >
          {busy === "toggle" ? (enabled ? "Disabling…" : "Enabling…") : enabled ? "Disable" : "Enable"}
        </button>
        <ConfirmDialog
          label="Rotate secret"
          ariaLabel={`Rotate the secret of ${endpoint.url}`}
          pendingLabel="Rotating…"
          pending={busy === "rotate"}
          disabled={busy !== null}
          title="Rotate this endpoint's secret?"
          confirmLabel="Rotate secret"
          danger={false}
          triggerClassName={TRIGGER}
          onConfirm={() => void rotate()}
        >
          You get a new signing secret, shown once. The old secret keeps signing deliveries too for 24 hours, so your receiver keeps working while you switch it
          to the new one.
        </ConfirmDialog>
        <ConfirmDialog
          label="Delete"
          ariaLabel={`Delete ${endpoint.url}`}
          pendingLabel="Deleting…"
          pending={busy === "delete"}
          disabled={busy !== null}
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          triggerClassName={DANGER_TRIGGER}
          onConfirm={() => void remove()}
        >
          <span className="font-mono break-all">{endpoint.url}</span> stops getting notices at once, and deliveries still being retried to it are dropped. This
          can&apos;t be undone.
        </ConfirmDialog>
      </div>

      {/* Always in the DOM, so the result of a test is announced when it arrives. */}
      <div aria-live="polite" data-testid="test-result">
        {test && <TestResult delivery={test} />}
      </div>
      <ErrorAlert error={error} />
    </li>
  );
}

function TestResult({ delivery }: { delivery: DeliveryView }) {
  const ok = delivery.state === "sent";
  return (
    <div
      className={`rounded-md border px-3 py-2 text-sm ${
        ok
          ? "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
          : "border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      }`}
    >
      <p className="font-medium">Test event: {deliverySummary(delivery)}</p>
      {delivery.response && (
        <>
          <p className="mt-1">The endpoint answered:</p>
          <pre className="mt-1 max-h-40 overflow-auto rounded bg-white/70 p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-black/30">
            {delivery.response}
          </pre>
        </>
      )}
    </div>
  );
}

const SNIPPET = `import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.PORTICO_WEBHOOK_SECRET); // "whsec_…"

// In your handler: the raw body, exactly as received, and the request's headers
// (webhook-id, webhook-timestamp, webhook-signature). Throws if either is wrong.
const event = webhook.verify(rawBody, headers);
console.log(event.type, event.data);`;

/** How a receiver checks a delivery is Portico's: the spec, and the reference library in a few lines. */
function VerifyNote() {
  const id = useId();
  return (
    <section aria-labelledby={id} className={`flex flex-col gap-2 p-4 ${CARD}`}>
      <h3 id={id} className="font-semibold">
        How to verify signatures
      </h3>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Deliveries follow the{" "}
        <a href="https://www.standardwebhooks.com/" className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
          Standard Webhooks
        </a>{" "}
        spec: each carries <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">webhook-id</code>,{" "}
        <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">webhook-timestamp</code> and{" "}
        <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">webhook-signature</code> headers. Verify them before trusting the body, and use{" "}
        <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">webhook-id</code> to ignore a delivery you have already handled. With the{" "}
        <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">standardwebhooks</code> npm package:
      </p>
      <div className="overflow-hidden rounded-lg bg-zinc-900">
        <div className="flex items-center justify-between gap-2 border-b border-zinc-700 px-3 py-1.5">
          <span className="text-xs font-medium text-zinc-300">Node.js</span>
          <CopyButton text={SNIPPET} label="Copy code" />
        </div>
        <pre className="overflow-x-auto p-3 font-mono text-xs leading-relaxed text-zinc-100">
          <code>{SNIPPET}</code>
        </pre>
      </div>
    </section>
  );
}
