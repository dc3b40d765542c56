import type { ReactElement, ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Styles for compact markdown (schema fields, table cells), set once on a container instead of on
 * every description: big specs have hundreds of them per page.
 */
export const MARKDOWN_SCOPE =
  "[&_.md_a]:font-medium [&_.md_a]:text-brand-700 [&_.md_a]:underline [&_.md_a]:underline-offset-2 dark:[&_.md_a]:text-brand-500 [&_.md_code]:rounded [&_.md_code]:bg-zinc-100 [&_.md_code]:px-1 [&_.md_code]:font-mono [&_.md_code]:text-[0.9em] dark:[&_.md_code]:bg-zinc-800 [&_.md_ul]:list-disc [&_.md_ul]:pl-5 [&_.md_ol]:list-decimal [&_.md_ol]:pl-5 [&_.md_pre]:overflow-x-auto";

// Plain text needs no parser: most descriptions in big specs are one sentence.
const MARKDOWN_SYNTAX = /[\\`*_[\]#<>!|~&]|:\/\/|www\.|\n/;

const components: Components = {
  // Headings inside an API description would break the page's outline.
  h1: Strong,
  h2: Strong,
  h3: Strong,
  h4: Strong,
  h5: Strong,
  h6: Strong,
  a({ href, children }) {
    // The URL transform empties unsafe hrefs (javascript:…): keep the text, drop the link.
    if (!href) return <span>{children}</span>;
    return (
      <a href={href} rel="nofollow ugc noopener noreferrer" className="focus-ring rounded-sm">
        {children}
      </a>
    );
  },
  // Images from a spec would load third-party content (tracking pixels): show a link instead.
  img({ src, alt }) {
    const label = `Image${alt ? `: ${alt}` : ""}`;
    return typeof src === "string" && src ? (
      <a href={src} rel="nofollow ugc noopener noreferrer" className="focus-ring rounded-sm">
        {label}
      </a>
    ) : (
      <span>[{label}]</span>
    );
  },
};

function Strong({ children }: { children?: ReactNode }) {
  return <p className="font-semibold">{children}</p>;
}

/**
 * Markdown from an API description: untrusted. Raw HTML is dropped (skipHtml), URLs other than
 * http(s), mailto and relative ones are removed by react-markdown's default URL transform, and
 * images become links. `compact` is for fields and table cells (styled by MARKDOWN_SCOPE).
 */
export function SafeMarkdown({ children, compact = false }: { children: string; compact?: boolean }) {
  if (compact && !MARKDOWN_SYNTAX.test(children)) return <p className="md">{children}</p>;
  return <div className={compact ? "md space-y-1" : "markdown"}>{parse(children)}</div>;
}

// Parsing is half of an operation page's render time, and big specs repeat the same descriptions
// across operations: keep recent results. React elements are immutable, so sharing them is safe.
const MAX_CACHED = 5_000;
const MAX_CACHED_CHARS = 2_000;
const parsed = new Map<string, ReactElement>();

function parse(markdown: string): ReactElement {
  const hit = parsed.get(markdown);
  if (hit) return hit;
  // Markdown is a plain synchronous function (no hooks): calling it directly gives its output.
  const element = Markdown({ children: markdown, remarkPlugins: [remarkGfm], skipHtml: true, components });
  if (markdown.length <= MAX_CACHED_CHARS) {
    if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value as string);
    parsed.set(markdown, element);
  }
  return element;
}
