"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ErrorAlert } from "@/components/access/error-alert";
import { BUTTON, CARD } from "@/components/access/styles";
import { apiFetch, type ApiError } from "@/components/ui/api-fetch";
import { BADGE, describeStatus, formatTime, STATE_LABEL, STATE_STYLE, type DeliveryView } from "./format";

type Page = { deliveries: DeliveryView[]; cursor?: string };

/**
 * The delivery log, newest first: 50 a page from the server's first read, more with "Load more"
 * (the server's cursor), and read again from the top by "Refresh" or when `version` changes (a
 * test event was just sent). Each row opens to show the endpoint's answer and the error.
 */
export function DeliveryLog({ initial, version }: { initial: Page; version: number }) {
  const id = useId();
  const [page, setPage] = useState<Page>(initial);
  const [loading, setLoading] = useState<"refresh" | "more" | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState("");
  const seen = useRef(version);

  const refresh = useCallback(async (quiet = false) => {
    setLoading("refresh");
    setError(null);
    const result = await apiFetch<Page>("/api/notifications/deliveries");
    setLoading(null);
    if (!result.ok) return setError(result.error);
    setPage(result.data);
    if (!quiet) setStatus(`Delivery log refreshed: ${count(result.data.deliveries.length)}${result.data.cursor ? " and more" : ""}.`);
  }, []);

  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void refresh(true);
  }, [version, refresh]);

  async function more() {
    if (!page.cursor) return;
    setLoading("more");
    setError(null);
    const result = await apiFetch<Page>(`/api/notifications/deliveries?${new URLSearchParams({ cursor: page.cursor })}`);
    setLoading(null);
    if (!result.ok) return setError(result.error);
    // A row can move between pages while new ones arrive: keep the first copy of each.
    setPage((p) => {
      const ids = new Set(p.deliveries.map((d) => d.id));
      return {
        deliveries: [...p.deliveries, ...result.data.deliveries.filter((d) => !ids.has(d.id))],
        ...(result.data.cursor ? { cursor: result.data.cursor } : {}),
      };
    });
    setStatus(`Loaded ${count(result.data.deliveries.length)} more.`);
  }

  return (
    <section aria-labelledby={`${id}-title`} aria-busy={loading !== null} className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={`${id}-title`} className="text-xl font-semibold">
            Delivery log
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Every email and webhook delivery of the last 30 days, newest first.</p>
        </div>
        <button type="button" onClick={() => loading === null && void refresh()} aria-disabled={loading !== null || undefined} className={BUTTON}>
          {loading === "refresh" ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p role="status" className="sr-only">
        {status}
      </p>
      <ErrorAlert error={error} />
      {page.deliveries.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 px-4 py-6 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          Nothing delivered yet. Notices you get by email or webhook show up here; send a test event to an endpoint to see one now.
        </p>
      ) : (
        <ul aria-labelledby={`${id}-title`} className={`divide-y divide-zinc-200 dark:divide-zinc-800 ${CARD}`} data-testid="delivery-log">
          {page.deliveries.map((delivery) => (
            <DeliveryRow key={delivery.id} delivery={delivery} />
          ))}
        </ul>
      )}
      {page.cursor && (
        <div>
          <button type="button" onClick={() => loading === null && void more()} aria-disabled={loading !== null || undefined} className={BUTTON}>
            {loading === "more" ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </section>
  );
}

const count = (n: number) => `${n} ${n === 1 ? "delivery" : "deliveries"}`;

function DeliveryRow({ delivery }: { delivery: DeliveryView }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const channel = delivery.channel === "email" ? "Email" : "Webhook";
  const hasDetails = Boolean(delivery.response || delivery.error || delivery.lastAttemptAt || delivery.sentAt);
  return (
    <li className="px-4 py-3 text-sm" data-testid="delivery" data-state={delivery.state}>
      <div className="flex flex-col gap-1.5 md:grid md:grid-cols-[11rem_minmax(0,1fr)_auto] md:items-start md:gap-4">
        <p className="text-zinc-600 dark:text-zinc-400">
          <time dateTime={delivery.at}>{formatTime(delivery.at)}</time>
        </p>
        <div className="flex min-w-0 flex-col gap-1">
          <p className="flex flex-wrap items-center gap-2">
            <code className="font-mono font-medium">{delivery.type}</code>
            <span className={`${BADGE} ${STATE_STYLE[delivery.state]}`}>{STATE_LABEL[delivery.state]}</span>
          </p>
          <p className="break-all text-zinc-600 dark:text-zinc-400">
            {channel} → <span className={delivery.channel === "webhook" ? "font-mono" : ""}>{delivery.destination}</span>
          </p>
          <p className="text-zinc-600 dark:text-zinc-400">
            {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
            {delivery.status && <> · {describeStatus(delivery.status)}</>}
            {delivery.state === "pending" && delivery.nextAttemptAt && <> · next attempt {formatTime(delivery.nextAttemptAt)}</>}
          </p>
          {delivery.error && !open && <p className="text-red-800 dark:text-red-300">{delivery.error}</p>}
        </div>
        {hasDetails && (
          <div>
            <button
              type="button"
              aria-expanded={open}
              aria-controls={`${id}-details`}
              onClick={() => setOpen((o) => !o)}
              className="focus-ring rounded text-sm font-medium text-brand-700 underline underline-offset-4 hover:no-underline dark:text-brand-500"
            >
              {open ? "Hide details" : "Details"}
              <span className="sr-only">
                {" "}
                of {delivery.type} to {delivery.destination}
              </span>
            </button>
          </div>
        )}
      </div>
      {hasDetails && (
        <div id={`${id}-details`} hidden={!open} className="mt-3 flex flex-col gap-2 md:ml-[12rem]">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-zinc-600 dark:text-zinc-400">
            <dt>Event id</dt>
            <dd className="font-mono break-all">{delivery.noticeId}</dd>
            {delivery.lastAttemptAt && (
              <>
                <dt>Last attempt</dt>
                <dd>{formatTime(delivery.lastAttemptAt)}</dd>
              </>
            )}
            {delivery.sentAt && (
              <>
                <dt>Delivered</dt>
                <dd>{formatTime(delivery.sentAt)}</dd>
              </>
            )}
            {delivery.error && (
              <>
                <dt>Error</dt>
                <dd className="text-red-800 dark:text-red-300">{delivery.error}</dd>
              </>
            )}
          </dl>
          {delivery.response && (
            <div>
              <p className="font-medium">Response</p>
              <pre className="mt-1 max-h-48 overflow-auto rounded-md bg-zinc-100 p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-900">
                {delivery.response}
              </pre>
            </div>
          )}
        </div>
      )}
    </li>
  );
}
