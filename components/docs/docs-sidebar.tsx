/** @jsxImportSource preact */
import { plural } from "@/lib/openapi/budget";
import type { OperationSummary, Tag } from "@/lib/openapi/types";

/** Up to this many operations the whole tree is in the HTML (tags in <details>); above, only the current tag's. */
const INLINE_LIMIT = 60;
/** Tags listed (the current one always is); the API's overview page lists more. */
const MAX_TAGS = 100;
/** The open tag's operations listed, a window around the current one; the tag page lists them all. */
const MAX_TAG_OPERATIONS = 50;
/** Characters of a tag's or operation's name shown. */
const MAX_NAME = 80;

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
 * tag's and link the others to their tag pages. Bounded whatever the spec: at most MAX_TAGS tags
 * (then "N more tags", linked to the API overview) and MAX_TAG_OPERATIONS operations of the open
 * tag, a window around the current one with "N more" links to the tag page (Stripe's 417 untagged
 * operations, a tag of 2,000). Landmarks are the page's: wrap it in <nav aria-label="…">.
 */
export function DocsSidebar({
  tags,
  currentSlug,
  currentTagSlug,
  hrefForOperation,
  hrefForTag,
  apiHref,
}: {
  tags: Tag[];
  /** The operation being shown, if any. */
  currentSlug?: string;
  /** The tag page being shown; on an operation page it defaults to the tag that lists currentSlug. */
  currentTagSlug?: string;
  hrefForOperation: (slug: string) => string;
  hrefForTag: (slug: string) => string;
  /** The API's overview page, which lists the tags: linked when some are left out here. */
  apiHref?: string;
}) {
  const total = tags.reduce((n, t) => n + t.operations.length, 0);
  const openTag = currentTagSlug ?? (currentSlug ? tags.find((t) => t.operations.some((o) => o.slug === currentSlug))?.slug : undefined);
  const inline = total <= INLINE_LIMIT;
  const openIndex = tags.findIndex((t) => t.slug === openTag);
  const listed = openIndex >= MAX_TAGS ? [...tags.slice(0, MAX_TAGS - 1), tags[openIndex] as Tag] : tags.slice(0, MAX_TAGS);
  const moreTags = tags.length - listed.length;
  return (
    <ul className={LIST}>
      {listed.map((tag) => {
        const isOpen = tag.slug === openTag;
        const count = <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">{tag.operations.length}</span>;
        if (!inline && !isOpen) {
          return (
            <li key={tag.slug}>
              <a href={hrefForTag(tag.slug)} className="focus-ring">
                {short(tag.name)} {count}
              </a>
            </li>
          );
        }
        const { shown, before, after } = operationWindow(tag.operations, currentSlug);
        const tagHref = hrefForTag(tag.slug);
        return (
          <li key={tag.slug}>
            <details open={isOpen}>
              <summary className="focus-ring cursor-pointer rounded-md px-2 py-1 font-semibold text-zinc-900 dark:text-zinc-100">
                {short(tag.name)} {count}
              </summary>
              <ul className="mt-1 ml-2 space-y-0.5 border-l border-zinc-200 pl-2 dark:border-zinc-800">
                <li>
                  <a href={tagHref} aria-current={tag.slug === currentTagSlug && !currentSlug ? "page" : undefined} className="focus-ring">
                    Overview
                  </a>
                </li>
                {before > 0 && <MoreLink href={tagHref} text={`${plural(before, "earlier operation")}: see the tag page`} />}
                {shown.map((op) => (
                  <OperationLink key={op.slug} op={op} href={hrefForOperation(op.slug)} current={op.slug === currentSlug} />
                ))}
                {after > 0 && <MoreLink href={tagHref} text={`${plural(after, "more operation")}: see the tag page`} />}
              </ul>
            </details>
          </li>
        );
      })}
      {moreTags > 0 &&
        (apiHref ? (
          <MoreLink href={apiHref} text={`${plural(moreTags, "more tag")}: see the API overview`} />
        ) : (
          <li className="px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400">{plural(moreTags, "more tag")}</li>
        ))}
    </ul>
  );
}

/** The operations to list: all of a small tag's, else MAX_TAG_OPERATIONS around the current one (or the first ones). */
function operationWindow(operations: OperationSummary[], currentSlug: string | undefined): { shown: OperationSummary[]; before: number; after: number } {
  // A little slack, so a list never ends in "1 more".
  if (operations.length <= MAX_TAG_OPERATIONS + 10) return { shown: operations, before: 0, after: 0 };
  const at = currentSlug ? operations.findIndex((o) => o.slug === currentSlug) : -1;
  const start = at < 0 ? 0 : Math.max(0, Math.min(at - Math.floor(MAX_TAG_OPERATIONS / 2), operations.length - MAX_TAG_OPERATIONS));
  const shown = operations.slice(start, start + MAX_TAG_OPERATIONS);
  return { shown, before: start, after: operations.length - start - shown.length };
}

function short(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

function MoreLink({ href, text }: { href: string; text: string }) {
  return (
    <li>
      <a href={href} className="focus-ring text-xs italic">
        {text}
      </a>
    </li>
  );
}

function OperationLink({ op, href, current }: { op: OperationSummary; href: string; current: boolean }) {
  return (
    <li>
      <a href={href} aria-current={current ? "page" : undefined} className={`focus-ring ${op.deprecated ? "line-through" : ""}`}>
        <span className={`inline-block w-14 font-mono text-xs font-bold uppercase ${VERB[op.method] ?? "text-zinc-600 dark:text-zinc-400"}`}>{op.method}</span>{" "}
        {short(op.title)}
      </a>
    </li>
  );
}
