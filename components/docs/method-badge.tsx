/** @jsxImportSource preact */
const COLOURS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  POST: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  PUT: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300",
  PATCH: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  DELETE: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};
const OTHER = "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";

/** The HTTP verb as a coloured chip (any case in, upper case out). */
export function MethodBadge({ method }: { method: string }) {
  return <span className={methodBadgeClass(method)}>{method.toUpperCase()}</span>;
}

/** The badge's classes, for React pages (search) that show the same chip. */
export function methodBadgeClass(method: string): string {
  return `inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-bold ${COLOURS[method.toUpperCase()] ?? OTHER}`;
}
