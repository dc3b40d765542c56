/** @jsxImportSource preact */
import { markdownCost, OVERVIEW_BUDGET_CHARS, PageBudget, plural, textCost } from "@/lib/openapi/budget";
import type { OperationSummary, Tag } from "@/lib/openapi/types";
import { docsHref } from "./docs-shell";
import { SafeMarkdown } from "./safe-markdown";

/** Estimated HTML of one operation's line without its title and path, and of one tag's line without its name. */
const OPERATION_CHARS = 260;
const TAG_CHARS = 150;
/** Characters of a title or path shown in a list. */
const MAX_NAME = 160;
/** Operations shown per tag on the API's overview (the tag page has the rest). */
const OVERVIEW_OPERATIONS = 50;
/** Tags shown as sections, with their operations, on the API's overview; the rest in a compact list. */
const OVERVIEW_SECTIONS = 40;

// Row styles once on the list, not on each of (up to) thousands of rows; `op-*` name the parts.
const LIST = [
  "divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800",
  "[&_a]:flex [&_a]:items-center [&_a]:gap-3 [&_a]:rounded-lg [&_a]:px-4 [&_a]:py-3 [&_a:hover]:bg-zinc-50 dark:[&_a:hover]:bg-zinc-900",
  "[&_.op-text]:min-w-0 [&_.op-text]:flex-1",
  "[&_.op-title]:block [&_.op-title]:font-medium [&_.op-title]:text-zinc-900 dark:[&_.op-title]:text-zinc-100",
  "[&_.op-path]:block [&_.op-path]:truncate [&_.op-path]:font-mono [&_.op-path]:text-xs [&_.op-path]:text-zinc-600 dark:[&_.op-path]:text-zinc-400",
  "[&_.op-dep]:shrink-0 [&_.op-dep]:text-xs [&_.op-dep]:font-medium [&_.op-dep]:text-amber-800 dark:[&_.op-dep]:text-amber-400",
  // The method chip, as MethodBadge draws it, styled here once instead of on each row.
  "[&_.op-m]:inline-flex [&_.op-m]:w-16 [&_.op-m]:shrink-0 [&_.op-m]:justify-center [&_.op-m]:rounded [&_.op-m]:px-1.5 [&_.op-m]:py-0.5 [&_.op-m]:font-mono [&_.op-m]:text-xs [&_.op-m]:font-bold",
  "[&_.op-get]:bg-sky-100 [&_.op-get]:text-sky-800 dark:[&_.op-get]:bg-sky-950 dark:[&_.op-get]:text-sky-300",
  "[&_.op-post]:bg-emerald-100 [&_.op-post]:text-emerald-800 dark:[&_.op-post]:bg-emerald-950 dark:[&_.op-post]:text-emerald-300",
  "[&_.op-put]:bg-amber-100 [&_.op-put]:text-amber-900 dark:[&_.op-put]:bg-amber-950 dark:[&_.op-put]:text-amber-300",
  "[&_.op-patch]:bg-violet-100 [&_.op-patch]:text-violet-800 dark:[&_.op-patch]:bg-violet-950 dark:[&_.op-patch]:text-violet-300",
  "[&_.op-delete]:bg-red-100 [&_.op-delete]:text-red-800 dark:[&_.op-delete]:bg-red-950 dark:[&_.op-delete]:text-red-300",
  "[&_.op-other]:bg-zinc-100 [&_.op-other]:text-zinc-800 dark:[&_.op-other]:bg-zinc-800 dark:[&_.op-other]:text-zinc-200",
].join(" ");

const COLOURED = new Set(["get", "post", "put", "patch", "delete"]);

function short(text: string): string {
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

/** How many of `operations` fit in `budget` (spending for them), at most `limit`. */
function fitting(operations: OperationSummary[], budget: PageBudget | undefined, limit: number): number {
  let n = 0;
  while (n < Math.min(operations.length, limit)) {
    const op = operations[n] as OperationSummary;
    if (budget && !budget.take(OPERATION_CHARS + textCost(short(op.title)) + textCost(short(op.path)))) break;
    n++;
  }
  return n;
}

/**
 * A tag's operations as links: method, title, path. Bounded by `limit` and the page's `budget`:
 * what is left out is counted in a last line, linked to `moreHref` (the tag's own page) when given.
 */
export function TagOperationList({
  operations,
  hrefFor,
  budget,
  limit = Infinity,
  moreHref,
}: {
  operations: OperationSummary[];
  hrefFor: (slug: string) => string;
  budget?: PageBudget;
  limit?: number;
  /** Where the ones left out are listed. */
  moreHref?: string;
}) {
  const shown = fitting(operations, budget, limit);
  const more = operations.length - shown;
  return (
    <>
      <ul className={LIST}>
        {operations.slice(0, shown).map((op) => (
          <li key={op.slug}>
            <a href={hrefFor(op.slug)} className="focus-ring">
              {op.kind === "webhook" && <span className="sr-only">Webhook</span>}
              <span className={`op-m op-${COLOURED.has(op.method) ? op.method : "other"}`}>{op.method.toUpperCase()}</span>{" "}
              <span className="op-text">
                <span className={op.deprecated ? "op-title line-through" : "op-title"}>{short(op.title)}</span>{" "}
                <code className="op-path">{short(op.path)}</code>
              </span>
              {op.deprecated && " "}
              {op.deprecated && <span className="op-dep">Deprecated</span>}
            </a>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
          {moreHref ? (
            <a href={moreHref} className="focus-ring rounded font-medium text-brand-700 underline underline-offset-4 dark:text-brand-500">
              {plural(more, "more operation")}
            </a>
          ) : (
            <>{plural(more, "more operation")} not listed: this page is at its size limit. Search the docs, or download the spec from the API’s page.</>
          )}
        </p>
      )}
    </>
  );
}

/**
 * The API overview's list of tags (app/(public)/apis/[api]/page.tsx): the first tags as sections
 * with their description and first operations, then the rest as a compact list of links, all
 * within one page budget (5,000 tags, a tag of 2,000 operations).
 */
export function ApiOverviewIndex({ api, tags, budget = new PageBudget(OVERVIEW_BUDGET_CHARS) }: { api: { slug: string }; tags: Tag[]; budget?: PageBudget }) {
  // With more tags than sections, most of the budget goes to naming them all.
  const sectionBudget = budget.share(tags.length > OVERVIEW_SECTIONS ? 0.25 : 1);
  const sections = [];
  let i = 0;
  for (; i < Math.min(tags.length, OVERVIEW_SECTIONS); i++) {
    const tag = tags[i] as Tag;
    if (!sectionBudget.take(TAG_CHARS * 2 + 2 * textCost(short(tag.name)) + markdownCost(tag.description))) break;
    const tagHref = docsHref.tag(api.slug, tag.slug);
    // Called, not rendered as a component: it spends from the budget, in the page's order.
    const list = TagOperationList({
      operations: tag.operations,
      hrefFor: (slug: string) => docsHref.operation(api.slug, slug),
      budget: sectionBudget,
      limit: OVERVIEW_OPERATIONS,
      moreHref: tagHref,
    });
    sections.push(
      <section key={tag.slug} aria-labelledby={`tag-${tag.slug}`} className="mt-10">
        <h2 id={`tag-${tag.slug}`} className="text-xl font-semibold">
          <a href={tagHref} className="focus-ring rounded hover:underline">
            {short(tag.name)}
          </a>
        </h2>
        {tag.description && (
          <div className="mt-1 text-sm">
            <SafeMarkdown compact>{tag.description}</SafeMarkdown>
          </div>
        )}
        <div className="mt-3">{list}</div>
      </section>,
    );
  }
  const rest = tags.slice(i);
  let listed = 0;
  // Name and slug (in the link) both grow with the name.
  while (listed < rest.length && budget.take(TAG_CHARS + 2 * textCost(short((rest[listed] as Tag).name)))) listed++;
  return (
    <>
      {sections}
      {rest.length > 0 && (
        <section aria-labelledby="more-tags" className="mt-10">
          <h2 id="more-tags" className="text-xl font-semibold">
            {i > 0 ? `${plural(rest.length, "more tag")}` : `${plural(rest.length, "tag")}`}
          </h2>
          <ul className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2 [&_a]:font-medium [&_a]:text-brand-700 [&_a]:hover:underline dark:[&_a]:text-brand-500 [&_span]:text-xs [&_span]:text-zinc-600 dark:[&_span]:text-zinc-400">
            {rest.slice(0, listed).map((tag) => (
              <li key={tag.slug}>
                <a href={docsHref.tag(api.slug, tag.slug)} className="focus-ring rounded">
                  {short(tag.name)}
                </a>{" "}
                <span>{plural(tag.operations.length, "operation")}</span>
              </li>
            ))}
          </ul>
          {listed < rest.length && (
            <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
              {plural(rest.length - listed, "more tag")} not listed: this page is at its size limit. Search the docs, or download the spec.
            </p>
          )}
        </section>
      )}
    </>
  );
}
