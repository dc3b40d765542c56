/** @jsxImportSource preact */
import type { OperationSummary } from "@/lib/openapi/types";
import { MethodBadge } from "./method-badge";

/** A tag's operations as links: method, title, path. */
export function TagOperationList({ operations, hrefFor }: { operations: OperationSummary[]; hrefFor: (slug: string) => string }) {
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
      {operations.map((op) => (
        <li key={op.slug}>
          <a href={hrefFor(op.slug)} className="focus-ring flex items-center gap-3 rounded-lg px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-900">
            {op.kind === "webhook" && <span className="sr-only">Webhook</span>}
            <MethodBadge method={op.method} />{" "}
            <span className="min-w-0 flex-1">
              <span className={`block font-medium text-zinc-900 dark:text-zinc-100 ${op.deprecated ? "line-through" : ""}`}>{op.title}</span>{" "}
              <code className="block truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{op.path}</code>
            </span>
            {op.deprecated && " "}
            {op.deprecated && <span className="shrink-0 text-xs font-medium text-amber-800 dark:text-amber-400">Deprecated</span>}
          </a>
        </li>
      ))}
    </ul>
  );
}
