/** Shared Tailwind classes for the dashboard's controls, matching /account and the docs pages. */
export const BUTTON =
  "focus-ring rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900";
export const PRIMARY_BUTTON =
  "focus-ring rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60";
export const DANGER_BUTTON =
  "focus-ring rounded-md px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950";
export const INPUT =
  "focus-ring w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900";
export const LINK = "focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500";
export const CARD = "rounded-xl border border-zinc-200 dark:border-zinc-800";
