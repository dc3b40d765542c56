"use client";

import { useRouter } from "next/navigation";
import { startTransition } from "react";

/** A route's error boundary when its data can't be read (the database is unreachable, say): a way to try again. */
export function LoadError({ title, what, reset }: { title: string; what: string; reset: () => void }) {
  const router = useRouter();
  // reset() alone re-renders the old server payload: refresh first so the page is read again.
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
      <div role="alert" className="mt-6 rounded-xl border border-red-300 bg-red-50 p-5 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
        <p className="font-semibold">{what} couldn&apos;t be loaded.</p>
        <p className="mt-1 text-sm">This is usually brief. Try again in a moment.</p>
        <button
          type="button"
          onClick={retry}
          className="focus-ring mt-4 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-900 hover:bg-red-100 dark:border-red-700 dark:bg-red-950 dark:text-red-100 dark:hover:bg-red-900"
        >
          Try again
        </button>
      </div>
    </div>
  );
}
