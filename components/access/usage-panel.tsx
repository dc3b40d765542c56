"use client";

import { useSpaceUrl } from "./space";
import dynamic from "next/dynamic";
import { useEffect, useId, useState } from "react";
import { USAGE_RANGES, type PlanUsage } from "@/lib/access/types";
import { ErrorAlert } from "./error-alert";
import { BUTTON, CARD } from "./styles";
import { formatAgo, useNow } from "./time";
import { apiFetch, type ApiResult } from "./use-api-call";
import type { SampleCall } from "@/lib/dashboard/sample-call";
import { formatDay, keyLabel, tabulate, UsageEmpty, UsageLimits, UsageTableDetails } from "./usage-details";

type Range = (typeof USAGE_RANGES)[number];

function ChartSkeleton() {
  return <div aria-hidden="true" className="h-64 w-full animate-pulse rounded-lg bg-zinc-100 motion-reduce:animate-none dark:bg-zinc-800" />;
}

// recharts stays in its own chunk, fetched only when a chart is on screen.
const UsageChart = dynamic(() => import("./usage-chart"), { ssr: false, loading: () => <ChartSkeleton /> });

export interface UsageSubscription {
  planId: string;
  productName: string;
  /** A call to one of the product's operations, for the "make a call" hint. */
  sample?: SampleCall;
}

/** One active subscription's usage: range switcher, freshness, CSV download, chart, limits and table. */
export function UsagePanel({ subscription }: { subscription: UsageSubscription }) {
  const id = useId();
  const { planId, productName } = subscription;
  // `refresh` counts clicks on Refresh; a new object per request lets "Try again" re-run the effect.
  const [request, setRequest] = useState<{ days: Range; refresh: number }>({ days: 7, refresh: 0 });
  const [result, setResult] = useState<{ request: typeof request; outcome: ApiResult<PlanUsage> } | null>(null);
  const spaceUrl = useSpaceUrl();
  const usageUrl = (days: Range) => spaceUrl(`/api/usage?plan=${encodeURIComponent(planId)}&days=${days}`);

  useEffect(() => {
    const controller = new AbortController();
    const url = spaceUrl(`/api/usage?plan=${encodeURIComponent(planId)}&days=${request.days}${request.refresh > 0 ? "&refresh=1" : ""}`);
    void apiFetch<PlanUsage>(url, { signal: controller.signal }).then((outcome) => {
      if (!controller.signal.aborted) setResult({ request, outcome });
    });
    return () => controller.abort();
  }, [planId, request, spaceUrl]);

  const loading = result?.request !== request;
  // While refreshing the same range, keep the last numbers on screen; a new range starts from a skeleton.
  const current = result && result.request.days === request.days ? result.outcome : undefined;
  const usage = current?.ok ? current.data : undefined;
  const error = !loading && current && !current.ok ? current.error : null;

  return (
    <section aria-labelledby={`${id}-title`} className={`${CARD} p-5`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={`${id}-title`} className="text-lg font-semibold">
          {productName}
        </h3>
        <div
          role="group"
          aria-label={`Range for ${productName}`}
          className="inline-flex overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700"
        >
          {USAGE_RANGES.map((days) => (
            <button
              key={days}
              type="button"
              aria-pressed={request.days === days}
              onClick={() => setRequest({ days, refresh: 0 })}
              className="focus-ring px-3 py-1.5 text-sm font-medium not-first:border-l not-first:border-zinc-300 not-aria-pressed:hover:bg-zinc-50 aria-pressed:bg-brand-600 aria-pressed:text-white dark:not-first:border-zinc-700 dark:not-aria-pressed:hover:bg-zinc-900"
            >
              {days} days
            </button>
          ))}
        </div>
      </div>

      <div className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        {/* Only the loading state is announced: the ticking "Updated n s ago" would be read out every second. */}
        <span aria-live="polite">{loading ? (usage ? "Refreshing…" : "Loading usage…") : ""}</span>
        {!loading && usage && <Freshness fetchedAt={usage.fetchedAt} />}
        {usage && (
          <>
            <span aria-hidden="true">·</span>
            <button
              type="button"
              onClick={() => setRequest({ days: request.days, refresh: request.refresh + 1 })}
              disabled={loading}
              aria-label={`Refresh usage for ${productName}`}
              className="focus-ring rounded font-medium text-brand-700 underline-offset-4 hover:underline disabled:opacity-60 dark:text-brand-500"
            >
              Refresh
            </button>
            <span aria-hidden="true">·</span>
            <a
              href={`${usageUrl(request.days)}&format=csv`}
              download
              aria-label={`Download CSV for ${productName}`}
              className="focus-ring rounded font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-500"
            >
              Download CSV
            </a>
          </>
        )}
      </div>

      {/* aria-busy here, not on the section: it would mute the "Loading usage…" announcement above. */}
      <div aria-busy={loading} className="mt-4">
        {error && (
          <div className="flex flex-col items-start gap-2">
            <ErrorAlert error={error} />
            <button type="button" onClick={() => setRequest({ ...request })} className={BUTTON}>
              Try again
            </button>
          </div>
        )}
        {!usage && !error && <ChartSkeleton />}
        {usage && <UsageBody usage={usage} sample={subscription.sample} />}
      </div>
    </section>
  );
}

function Freshness({ fetchedAt }: { fetchedAt: string }) {
  const now = useNow();
  return <span>Updated {now === null ? "" : formatAgo(fetchedAt, now)}</span>;
}

function UsageBody({ usage, sample }: { usage: PlanUsage; sample?: SampleCall }) {
  const table = tabulate(usage);
  const title = `Daily requests to ${usage.productName}, last ${usage.range} days`;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_17rem]">
      <div className="flex min-w-0 flex-col gap-3">
        {table.total === 0 ? (
          <UsageEmpty usage={usage} sample={sample} />
        ) : (
          <>
            <figure>
              <figcaption className="mb-2 text-sm font-medium text-zinc-700 dark:text-zinc-300">
                Requests per day{usage.keys.length > 1 ? " by key" : ""}, last {usage.range} days (UTC)
              </figcaption>
              <UsageChart
                title={title}
                rows={table.days.map((day, i) => ({ label: formatDay(day), values: table.perKey.map((values) => values[i] ?? 0) }))}
                series={usage.keys.map((k) => ({ name: keyLabel(k) }))}
                {...(usage.quota?.period === "DAY" ? { dailyLimit: usage.quota.limit } : {})}
              />
            </figure>
            <UsageTableDetails usage={usage} table={table} />
          </>
        )}
      </div>
      <UsageLimits usage={usage} />
    </div>
  );
}
