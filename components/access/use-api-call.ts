import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, useTransition } from "react";
import { apiFetch, type ApiError, type ApiResult } from "@/components/ui/api-fetch";

export { apiFetch, type ApiError, type ApiResult };

/**
 * A state-changing call from a button or form: pending while the request and the page refresh
 * run (so the button stays disabled until the new server data is on screen), and the error to show.
 */
export function useApiCall() {
  const router = useRouter();
  const [inFlight, setInFlight] = useState(false);
  const [refreshing, startTransition] = useTransition();
  const [error, setError] = useState<ApiError | null>(null);

  async function call<T>(url: string, init: { method: string; body?: unknown }, options: { refresh?: boolean } = {}): Promise<ApiResult<T>> {
    setInFlight(true);
    setError(null);
    const result = await apiFetch<T>(url, init);
    setInFlight(false);
    if (!result.ok) setError(result.error);
    else if (options.refresh !== false) startTransition(() => router.refresh());
    return result;
  }

  return { call, pending: inFlight || refreshing, error, clearError: () => setError(null) };
}

const noop = () => () => {};

/** False until React runs: forms must not submit natively before then. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
