"use client";

// Loaded only through signups-panel.tsx (next/dynamic, no SSR), so recharts stays in its own chunk.
import { CHART_TICK, CHART_TOOLTIP } from "@/components/ui/chart-style";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";

export interface SignupsRow {
  label: string;
  count: number;
}

/** Sign-ups per day as bars; axes use currentColor and the tooltip the Canvas colours, so both themes read. */
export default function SignupsChart({ rows, title }: { rows: SignupsRow[]; title: string }) {
  return (
    <div className="h-56 w-full text-zinc-600 dark:text-zinc-400">
      <BarChart responsive data={rows} title={title} style={{ width: "100%", height: "100%" }} margin={{ top: 12, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.2} />
        <XAxis dataKey="label" stroke="currentColor" tick={CHART_TICK} tickLine={false} minTickGap={16} />
        <YAxis allowDecimals={false} stroke="currentColor" tick={CHART_TICK} tickLine={false} axisLine={false} width={36} />
        <Tooltip {...CHART_TOOLTIP} />
        <Bar dataKey="count" name="Sign-ups" fill="var(--color-brand-600, #3b5bdb)" maxBarSize={28} />
      </BarChart>
    </div>
  );
}
