"use client";

import { LoadError } from "@/components/ui/load-error";

/** When keys and subscriptions can't be read. */
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <LoadError title="Dashboard" what="Your keys and subscriptions" reset={reset} />;
}
