import type { ApiError } from "./use-api-call";

/** The portal's message, verbatim, next to the control that failed. */
export function ErrorAlert({ error, className = "" }: { error: ApiError | null; className?: string }) {
  if (!error) return null;
  return (
    <p
      role="alert"
      className={`rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200 ${className}`}
    >
      {error.message}
    </p>
  );
}
