"use client";

import { LoadError } from "@/components/ui/load-error";

/** When the developer's tokens can't be read. */
export default function TokensError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <LoadError title="Portal tokens" what="Your portal tokens" reset={reset} />;
}
