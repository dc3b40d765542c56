/**
 * One output budget per docs page. A spec can ask for any amount of HTML (500 responses, 2,000
 * media types, 5,000 parameters): every part of a page spends from one budget, counted in
 * estimated HTML characters before it is rendered, and what doesn't fit is summarised ("312 more
 * properties…") instead. Estimates err high, so a page stays under MAX_PAGE_BYTES whatever the
 * spec; the sidebar and the page's fixed chrome are bounded by counts (docs-sidebar.tsx).
 */

/** What no docs page may exceed, HTML included (the tests hold every page to it). */
export const MAX_PAGE_BYTES = 1024 * 1024;
/** Estimated characters an operation page's own content may spend (the sidebar and code samples come on top). */
export const PAGE_BUDGET_CHARS = 550_000;
/** A tag page's list of operations: the page has little else. */
export const TAG_PAGE_BUDGET_CHARS = 800_000;
/**
 * The API overview's tags and operations. It is a React page: the HTML goes out twice (the page,
 * and the RSC payload that carries it, escaped twice over), so about half an operation page's.
 */
export const OVERVIEW_BUDGET_CHARS = 280_000;

export class PageBudget {
  private used = 0;

  /** `parent`: a section's share also spends from the page's budget. */
  constructor(
    readonly limit = PAGE_BUDGET_CHARS,
    private readonly parent?: PageBudget,
  ) {}

  get left(): number {
    const own = Math.max(0, this.limit - this.used);
    return this.parent ? Math.min(own, this.parent.left) : own;
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }

  /** Spends `chars` if they fit in what's left; false (and nothing spent) if they don't. */
  take(chars: number): boolean {
    if (chars > this.left) return false;
    this.spend(chars);
    return true;
  }

  /** Spends unconditionally: the short notes that stand in for what was cut. */
  spend(chars: number): void {
    this.used += chars;
    this.parent?.spend(chars);
  }

  /** A section's budget: at most `fraction` of what's left now, so the sections after it keep the rest. */
  share(fraction: number): PageBudget {
    return new PageBudget(Math.floor(this.left * fraction), this);
  }
}

// Characters whose Markdown becomes markup: the expensive ones (links carry rel and class) weigh most.
const LINKISH = /\[|:\/\/|www\.|@/g;
const MARKUP = /[*_~`>#|&<"'\n]/g;

function matches(text: string, pattern: RegExp): number {
  let n = 0;
  pattern.lastIndex = 0;
  while (pattern.exec(text)) n++;
  return n;
}

/** Upper-bound estimate of a description's rendered HTML (SafeMarkdown), without rendering it. */
export function markdownCost(text: string | undefined): number {
  if (!text) return 0;
  return 60 + Math.ceil(text.length * 1.1) + 110 * matches(text, LINKISH) + 12 * matches(text, MARKUP);
}

/** Estimated HTML of plain text (escaping can grow `&`, `<` and quotes to 5–6 characters). */
export function textCost(text: string | undefined): number {
  if (!text) return 0;
  return text.length + 5 * matches(text, /[&<>"']/g);
}

/** A number as "1,234". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** "1 property" / "312 properties". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
