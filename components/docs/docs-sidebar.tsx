/** @jsxImportSource preact */
import type { OperationSummary, Tag } from "@/lib/openapi/types";

/** Up to this many operations the whole tree is in the HTML (tags in <details>); above, only the current tag's. */
const INLINE_LIMIT = 60;

// Link styles are set once on the list, not on each of (up to) hundreds of links.
const LIST =
  "space-y-1 text-sm [&_a]:block [&_a]:rounded-md [&_a]:px-2 [&_a]:py-1 [&_a]:text-zinc-700 [&_a:hover]:bg-zinc-100 [&_a:hover]:text-zinc-900 [&_a[aria-current=page]]:bg-brand-50 [&_a[aria-current=page]]:font-semibold [&_a[aria-current=page]]:text-brand-700 dark:[&_a]:text-zinc-300 dark:[&_a:hover]:bg-zinc-800 dark:[&_a:hover]:text-white dark:[&_a[aria-current=page]]:bg-zinc-800 dark:[&_a[aria-current=page]]:text-white";

const VERB: Record<string, string> = {
  get: "text-sky-700 dark:text-sky-400",
  post: "text-emerald-700 dark:text-emerald-400",
  put: "text-amber-800 dark:text-amber-400",
  patch: "text-violet-700 dark:text-violet-400",
  delete: "text-red-700 dark:text-red-400",
};

/**
 * The API's tags and operations, current one marked with aria-current. Small specs list every
 * operation (tags collapse into <details>); big ones (Twilio: 197 operations) list only the current
 * tag's and link the others to their tag pages, so the sidebar stays a few KB. Landmarks are the
 * page's: wrap it in <nav aria-label="…">.
 */
export function DocsSidebar({
  tags,
  currentSlug,
  currentTagSlug,
  hrefForOperation,
  hrefForTag,
}: {
  tags: Tag[];
  /** The operation being shown, if any. */
  currentSlug?: string;
  /** The tag page being shown; on an operation page it defaults to the tag that lists currentSlug. */
  currentTagSlug?: string;
  hrefForOperation: (slug: string) => string;
  hrefForTag: (slug: string) => string;
}) {
  const total = tags.reduce((n, t) => n + t.operations.length, 0);
  const openTag = currentTagSlug ?? (currentSlug ? tags.find((t) => t.operations.some((o) => o.slug === currentSlug))?.slug : undefined);
  const inline = total <= INLINE_LIMIT;
  return (
    <ul className={LIST}>
      {tags.map((tag) => {
        const isOpen = tag.slug === openTag;
        const count = <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">{tag.operations.length}</span>;
        if (!inline && !isOpen) {
          return (
            <li key={tag.slug}>
              <a href={hrefForTag(tag.slug)} className="focus-ring">
                {tag.name} {count}
              </a>
            </li>
          );
        }
        return (
          <li key={tag.slug}>
            <details open={isOpen}>
              <summary className="focus-ring cursor-pointer rounded-md px-2 py-1 font-semibold text-zinc-900 dark:text-zinc-100">
                {tag.name} {count}
              </summary>
              <ul className="mt-1 ml-2 space-y-0.5 border-l border-zinc-200 pl-2 dark:border-zinc-800">
                <li>
                  <a href={hrefForTag(tag.slug)} aria-current={tag.slug === currentTagSlug && !currentSlug ? "page" : undefined} className="focus-ring">
                    Overview
                  </a>
                </li>
                {tag.operations.map((op) => (
                  <OperationLink key={op.slug} op={op} href={hrefForOperation(op.slug)} current={op.slug === currentSlug} />
                ))}
              </ul>
            </details>
          </li>
        );
      })}
    </ul>
  );
}

function OperationLink({ op, href, current }: { op: OperationSummary; href: string; current: boolean }) {
  return (
    <li>
      <a href={href} aria-current={current ? "page" : undefined} className={`focus-ring ${op.deprecated ? "line-through" : ""}`}>
        <span className={`inline-block w-14 font-mono text-xs font-bold uppercase ${VERB[op.method] ?? "text-zinc-600 dark:text-zinc-400"}`}>{op.method}</span>{" "}
        {op.title}
      </a>
    </li>
  );
}
