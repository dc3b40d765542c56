"use client";

import dynamic from "next/dynamic";
import type { SignupsRow } from "./signups-chart";

function ChartSkeleton() {
  return <div aria-hidden="true" className="h-56 w-full animate-pulse rounded-lg bg-zinc-100 motion-reduce:animate-none dark:bg-zinc-800" />;
}

// recharts is fetched only when the overview is on screen, and never rendered on the server.
const SignupsChart = dynamic(() => import("./signups-chart"), { ssr: false, loading: () => <ChartSkeleton /> });

export function SignupsPanel({ rows, title }: { rows: SignupsRow[]; title: string }) {
  return <SignupsChart rows={rows} title={title} />;
}
