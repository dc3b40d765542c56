import { useId } from "react";
import { formatQuota, formatRate } from "@/components/catalog/plan-terms";
import { shellQuote } from "@/lib/openapi/quote";
import type { KeyUsage, PlanUsage } from "@/lib/access/types";
import type { SampleCall } from "@/lib/dashboard/sample-call";
import { dateTime } from "./time";

const number = new Intl.NumberFormat("en");
const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const dayLong = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
const THIS_PERIOD = { DAY: "today's", WEEK: "this week's", MONTH: "this month's" } as const;
const PERIOD = { DAY: "today", WEEK: "this week", MONTH: "this month" } as const;

export interface UsageTable {
  days: string[];
  /** Requests per key (same order as usage.keys), one number per day. */
  perKey: number[][];
  totals: number[];
  total: number;
}

/** Lines up every key's days (the server sends each key the whole range, but don't rely on order). */
export function tabulate(usage: PlanUsage): UsageTable {
  const days = [...new Set(usage.keys.flatMap((k) => k.days.map((d) => d.day)))].sort();
  const perKey = usage.keys.map((k) => {
    const byDay = new Map(k.days.map((d) => [d.day, d.used]));
    return days.map((day) => byDay.get(day) ?? 0);
  });
  const totals = days.map((_, i) => perKey.reduce((sum, values) => sum + (values[i] ?? 0), 0));
  return { days, perKey, totals, total: totals.reduce((a, b) => a + b, 0) };
}

export const formatDay = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

/** "laptop ••••abcd": a rotated key keeps its name, so its hint tells it from its replacement. */
export const keyName = (key: Pick<KeyUsage, "keyName" | "keyHint">) => (key.keyHint ? `${key.keyName} ••••${key.keyHint}` : key.keyName);

/** A key as the chart, table and notes name it, with what became of it. */
export const keyLabel = (key: Pick<KeyUsage, "keyName" | "keyHint" | "status">) =>
  `${keyName(key)}${key.status === "gone" ? " (no longer active)" : key.status === "retiring" ? " (retiring)" : ""}`;

/** The key that used the largest share of its quota this period (API Gateway counts quotas per key). */
function busiestKey(usage: PlanUsage): string | undefined {
  const limit = usage.quota?.limit;
  if (!limit) return undefined;
  const withRemaining = usage.keys.filter((k) => k.remaining !== undefined);
  if (withRemaining.length === 0) return undefined;
  return keyName(withRemaining.reduce((a, b) => ((b.remaining ?? limit) < (a.remaining ?? limit) ? b : a)));
}

/** Throttle, quota, this period's use as a progress bar, and a warning from 80 %. */
export function UsageLimits({ usage }: { usage: PlanUsage }) {
  const id = useId();
  const { quota, periodUsed, periodShare } = usage;
  const used = periodUsed ?? 0;
  const share = periodShare ?? (quota ? used / quota.limit : 0);
  const percent = Math.round(share * 100);
  const key = busiestKey(usage);
  const resets = usage.quotaResetsAt ? `${dateTime.format(new Date(usage.quotaResetsAt))} UTC` : undefined;
  const gone = usage.keys.some((k) => k.status === "gone");
  return (
    <div className="flex flex-col gap-4 text-sm">
      {quota && share >= 0.8 && (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          {share >= 1 ? `You've used all of ${THIS_PERIOD[quota.period]} quota` : `You've used ${percent} % of ${THIS_PERIOD[quota.period]} quota`}
          {key ? ` on key ${key}` : ""}.
          {share >= 1 ? ` Calls get 429 until the ${resets ? `quota resets on ${resets}` : "period resets"}.` : resets ? ` It resets on ${resets}.` : ""}
        </p>
      )}
      <dl className="grid grid-cols-[5.5rem_1fr] gap-x-3 gap-y-1.5">
        <dt className="text-zinc-500 dark:text-zinc-400">Rate limit</dt>
        <dd>{formatRate(usage.throttle)}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Quota</dt>
        <dd>{formatQuota(quota)}</dd>
      </dl>
      {quota && (
        <div>
          <div className="flex justify-between gap-2">
            <span id={`${id}-used`} className="font-medium">
              Used {PERIOD[quota.period]}
            </span>
            <span className="text-zinc-600 tabular-nums dark:text-zinc-400">
              {number.format(used)} of {number.format(quota.limit)}
            </span>
          </div>
          <div
            role="progressbar"
            aria-labelledby={`${id}-used`}
            aria-valuemin={0}
            aria-valuemax={quota.limit}
            aria-valuenow={Math.min(used, quota.limit)}
            aria-valuetext={`${number.format(used)} of ${number.format(quota.limit)} requests`}
            className="mt-1.5 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
          >
            <div
              className={`h-full rounded-full ${share >= 0.8 ? "bg-amber-500" : "bg-brand-600"}`}
              style={{ width: `${Math.min(100, (used / quota.limit) * 100)}%` }}
            />
          </div>
          {usage.keys.length > 1 && (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Summed over your keys{gone ? ", including those no longer active" : ""}; the quota applies to each key.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The chart's numbers for everyone who can't or won't read a chart. */
export function UsageTableDetails({ usage, table }: { usage: PlanUsage; table: UsageTable }) {
  const several = usage.keys.length > 1;
  return (
    <details className="text-sm">
      <summary className="focus-ring cursor-pointer rounded font-medium">Show as table</summary>
      {/* Focusable so keyboard users can scroll it sideways when there are many keys. */}
      <div tabIndex={0} className="focus-ring mt-2 overflow-x-auto rounded">
        <table className="w-full border-collapse text-left">
          <caption className="sr-only">
            Daily requests to {usage.productName}, last {usage.range} days
          </caption>
          <thead>
            <tr>
              <th scope="col" className="border-b border-zinc-300 py-2 pr-4 font-semibold dark:border-zinc-700">
                Day (UTC)
              </th>
              {usage.keys.map((k) => (
                <th key={k.keyId} scope="col" className="border-b border-zinc-300 py-2 pr-4 text-right font-semibold dark:border-zinc-700">
                  {keyLabel(k)}
                </th>
              ))}
              {several && (
                <th scope="col" className="border-b border-zinc-300 py-2 pr-4 text-right font-semibold dark:border-zinc-700">
                  Total
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {table.days.map((day, i) => (
              <tr key={day}>
                <th scope="row" className="border-b border-zinc-200 py-1.5 pr-4 font-normal dark:border-zinc-800">
                  {dayLong.format(new Date(`${day}T00:00:00Z`))}
                </th>
                {table.perKey.map((values, k) => (
                  <td key={usage.keys[k]?.keyId ?? k} className="border-b border-zinc-200 py-1.5 pr-4 text-right tabular-nums dark:border-zinc-800">
                    {number.format(values[i] ?? 0)}
                  </td>
                ))}
                {several && (
                  <td className="border-b border-zinc-200 py-1.5 pr-4 text-right tabular-nums dark:border-zinc-800">{number.format(table.totals[i] ?? 0)}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The first call as a shell command: the URL comes from the spec's examples, so it is quoted (quote.ts). */
export const firstCallCommand = (sample?: SampleCall) =>
  sample
    ? `curl${sample.method === "GET" ? "" : ` -X ${shellQuote(sample.method)}`} -H 'x-api-key: YOUR_KEY' ${shellQuote(sample.url)}`
    : "curl -H 'x-api-key: YOUR_KEY' https://…";

/** No requests in the range: say so and show how to make one. */
export function UsageEmpty({ usage, sample }: { usage: PlanUsage; sample?: SampleCall }) {
  const command = firstCallCommand(sample);
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-6 text-center dark:border-zinc-700">
      <p className="font-medium">No calls in the last {usage.range} days</p>
      {!usage.keys.some((k) => k.status !== "gone") ? (
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">You have no keys in this plan yet: create one above, then call the API with it.</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Send one of your keys in the x-api-key header; calls show up here within a few minutes.
          </p>
          <pre className="mt-3 rounded-lg bg-zinc-900 p-3 text-left font-mono text-xs break-all whitespace-pre-wrap text-zinc-100">
            <code>{command}</code>
          </pre>
        </>
      )}
    </div>
  );
}
