"use client";

import { LoadError } from "@/components/ui/load-error";

/** When an admin page can't read its data. */
export default function AdminError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <LoadError title="Admin" what="This page" reset={reset} />;
}
