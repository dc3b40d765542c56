"use client";

// The only module that imports recharts: usage-panel loads it with next/dynamic, so other pages never ship it.
import { CHART_TICK, CHART_TOOLTIP } from "@/components/ui/chart-style";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

/** One bar per day; `values[i]` is series i's requests that day. */
export interface ChartRow {
  label: string;
  values: number[];
}

export interface ChartSeries {
  name: string;
}

// 600 shades: at least 3:1 against both the white and the zinc-950 page. The first key wears the brand colour.
const COLORS = ["var(--color-brand-600, #3b5bdb)", "#0284c7", "#059669", "#d97706", "#c026d3", "#7c3aed"];

const number = new Intl.NumberFormat("en");
const compact = new Intl.NumberFormat("en", { notation: "compact" });

/**
 * Daily requests, stacked per key. Axes, grid and labels use currentColor (set by the wrapper's
 * text colour) and the tooltip uses the Canvas system colours, so both themes stay readable.
 */
export default function UsageChart({ rows, series, dailyLimit, title }: { rows: ChartRow[]; series: ChartSeries[]; dailyLimit?: number; title: string }) {
  // Flat fields for recharts: s0, s1… (a key id could contain dots, which dataKey reads as a path).
  const data = rows.map((row) => ({ label: row.label, ...Object.fromEntries(row.values.map((v, i) => [`s${i}`, v])) }));
  return (
    <div className="h-64 w-full text-zinc-600 dark:text-zinc-400">
      <BarChart responsive data={data} title={title} style={{ width: "100%", height: "100%" }} margin={{ top: 12, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.2} />
        <XAxis dataKey="label" stroke="currentColor" tick={CHART_TICK} tickLine={false} minTickGap={12} />
        <YAxis
          allowDecimals={false}
          stroke="currentColor"
          tick={CHART_TICK}
          tickLine={false}
          axisLine={false}
          width={44}
          tickFormatter={(v: number) => compact.format(v)}
        />
        <Tooltip {...CHART_TOOLTIP} />
        {series.length > 1 && <Legend formatter={(value) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>} />}
        {series.map((s, i) => (
          <Bar key={i} dataKey={`s${i}`} name={s.name} stackId="requests" fill={COLORS[i % COLORS.length]} maxBarSize={40} />
        ))}
        {dailyLimit !== undefined && (
          <ReferenceLine
            y={dailyLimit}
            stroke="#dc2626"
            strokeDasharray="4 4"
            ifOverflow="extendDomain"
            label={{ value: `Daily quota per key: ${number.format(dailyLimit)}`, position: "insideTopRight", fill: "currentColor", fontSize: 12 }}
          />
        )}
      </BarChart>
    </div>
  );
}
