import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/** Owner-written markdown, server-rendered. Raw HTML is not rendered and unsafe URLs are dropped. */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
        {children}
      </ReactMarkdown>
    </div>
  );
}
