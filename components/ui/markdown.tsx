import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { TOO_DEEP_NOTE, tooDeep } from "@/lib/markdown-nesting";

// A code block scrolls sideways: focusable, so keyboard users can scroll it too (axe: scrollable-region-focusable).
const MARKDOWN_COMPONENTS: Components = { pre: ({ node: _node, ...props }) => <pre tabIndex={0} className="focus-ring" {...props} /> };

/**
 * Owner-written markdown, server-rendered. Raw HTML is not rendered and unsafe URLs are dropped.
 * Markdown nested too deeply for the parser is shown as plain text.
 */
export function Markdown({ children }: { children: string }) {
  // Nested past what the parser can take (markdown-nesting.ts): the text as written, under a note.
  if (tooDeep(children)) {
    return (
      <div className="markdown">
        <p className="text-sm italic text-zinc-500">{TOO_DEEP_NOTE}</p>
        <pre className="whitespace-pre-wrap break-words">{children}</pre>
      </div>
    );
  }
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={MARKDOWN_COMPONENTS}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
