/** @jsxImportSource preact */
import type { Element, Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import type { ComponentChildren } from "preact";
import { render } from "preact-render-to-string";
import { Fragment, jsx, jsxs } from "preact/jsx-runtime";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { createHash } from "node:crypto";
import { processCache } from "@/lib/cache/process";
import { plainMarkdownHtml, tooDeep } from "@/lib/markdown-nesting";

/**
 * Styles for compact markdown (schema fields, table cells), set once on a container instead of on
 * every description: big specs have hundreds of them per page.
 */
export const MARKDOWN_SCOPE =
  "[&_.md_a]:font-medium [&_.md_a]:text-brand-700 [&_.md_a]:underline [&_.md_a]:underline-offset-2 dark:[&_.md_a]:text-brand-500 [&_.md_code]:rounded [&_.md_code]:bg-zinc-100 [&_.md_code]:px-1 [&_.md_code]:font-mono [&_.md_code]:text-[0.9em] dark:[&_.md_code]:bg-zinc-800 [&_.md_ul]:list-disc [&_.md_ul]:pl-5 [&_.md_ol]:list-decimal [&_.md_ol]:pl-5 [&_.md_pre]:overflow-x-auto";

// Plain text needs no parser: most descriptions in big specs are one sentence.
const MARKDOWN_SYNTAX = /[\\`*_[\]#<>!|~&]|:\/\/|www\.|\n/;

const LINK_REL = "nofollow ugc noopener noreferrer";

const components: Partial<Components> = {
  // Headings inside an API description would break the page's outline.
  h1: Strong,
  h2: Strong,
  h3: Strong,
  h4: Strong,
  h5: Strong,
  h6: Strong,
  a({ href, children }: { href?: string; children?: ComponentChildren }) {
    // safeUrl emptied unsafe hrefs (javascript:…): keep the text, drop the link.
    if (!href) return <span>{children}</span>;
    return (
      <a href={href} rel={LINK_REL} className="focus-ring rounded-sm">
        {children}
      </a>
    );
  },
  // A code block scrolls sideways: focusable, so keyboard users can scroll it too.
  pre({ children }: { children?: ComponentChildren }) {
    return (
      <pre tabIndex={0} className="focus-ring">
        {children}
      </pre>
    );
  },
  // Images from a spec would load third-party content (tracking pixels): show a link instead.
  img({ src, alt }: { src?: string; alt?: string }) {
    const label = `Image${alt ? `: ${alt}` : ""}`;
    return src ? (
      <a href={src} rel={LINK_REL} className="focus-ring rounded-sm">
        {label}
      </a>
    ) : (
      <span>[{label}]</span>
    );
  },
} as Partial<Components>;

function Strong({ children }: { children?: ComponentChildren }) {
  return <p className="font-semibold">{children}</p>;
}

/** Relative URLs and http(s)/mailto only, as react-markdown's default: `javascript:` and friends become "". */
export function safeUrl(url: string): string {
  const colon = url.indexOf(":");
  const boundary = Math.min(...["/", "?", "#"].map((c) => (url.includes(c) ? url.indexOf(c) : Infinity)));
  if (colon === -1 || colon > boundary) return url;
  return /^(https?|mailto)$/i.test(url.slice(0, colon)) ? url : "";
}

function cleanUrls(node: Root | Element): void {
  for (const child of node.children) {
    if (child.type !== "element") continue;
    for (const name of ["href", "src"] as const) {
      const value = child.properties[name];
      if (typeof value === "string") child.properties[name] = safeUrl(value);
    }
    cleanUrls(child);
  }
}

// remark-rehype without allowDangerousHtml drops raw HTML from the tree: nothing in a spec becomes markup.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype);

/**
 * Markdown from an API description: untrusted. Raw HTML is dropped, URLs other than http(s),
 * mailto and relative ones are removed, and images become links. `compact` is for fields and
 * table cells (styled by MARKDOWN_SCOPE).
 */
export function SafeMarkdown({ children, compact = false }: { children: string; compact?: boolean }) {
  if (compact && !MARKDOWN_SYNTAX.test(children)) return <p className="md">{children}</p>;
  return <div className={compact ? "md space-y-1" : "markdown"} dangerouslySetInnerHTML={{ __html: markdownHtml(children) }} />;
}

// Big specs repeat the same descriptions across operations: keep the 5,000 last used (each counts
// 1 towards the bound) as HTML strings.
const MAX_CACHED_CHARS = 2_000;
const parsed = processCache<string>("MarkdownHtml", 5_000);
// Texts the parser or renderer failed on, by hash (any length): shown as written from then on,
// without trying again on every request.
const failed = processCache<true>("MarkdownFailures", 1_000);

/**
 * The description as HTML. Nesting is measured first (linear, see markdown-nesting.ts): past the
 * bound, or if rendering throws, the text is shown as written under a note.
 */
export function markdownHtml(markdown: string): string {
  const hit = parsed.get(markdown);
  if (hit !== undefined) return hit;
  if (tooDeep(markdown)) return plainMarkdownHtml(markdown);
  const hash = createHash("sha256").update(markdown).digest("base64url");
  if (failed.get(hash)) return plainMarkdownHtml(markdown);
  let html: string;
  try {
    const tree = processor.runSync(processor.parse(markdown)) as Root;
    cleanUrls(tree);
    html = render(toJsxRuntime(tree, { Fragment, jsx, jsxs, components, elementAttributeNameCase: "html" } as Parameters<typeof toJsxRuntime>[1]) as never);
  } catch (error) {
    console.error("[docs] a description could not be rendered as Markdown; shown as plain text:", (error as Error).message);
    failed.set(hash, true, 1);
    return plainMarkdownHtml(markdown);
  }
  if (markdown.length <= MAX_CACHED_CHARS) parsed.set(markdown, html, 1);
  return html;
}
