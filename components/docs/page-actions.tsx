/** @jsxImportSource preact */
import { PAGE_ACTION, PAGE_ACTIONS, pageActionLinks } from "@/components/ui/page-markdown";
import { Island } from "./islands/island";

/**
 * A docs page's actions for AI assistants, under its title: copy its Markdown twin, view it, or
 * open it in ChatGPT or Claude. The Preact shell of components/ui/page-markdown.ts; the links work
 * without JS, the copy button is an island.
 */
export function PageActions({ site, markdownPath, className = "" }: { site: string; markdownPath: string; className?: string }) {
  const links = pageActionLinks(site, markdownPath);
  return (
    <div role="group" aria-label="Page actions" className={`${PAGE_ACTIONS} ${className}`}>
      <Island name="copy-page" props={{ href: links.markdown }} className="contents" />
      <a href={links.markdown} className={PAGE_ACTION}>
        View as Markdown
      </a>
      <AssistantLink href={links.chatgpt} name="ChatGPT" />
      <AssistantLink href={links.claude} name="Claude" />
    </div>
  );
}

function AssistantLink({ href, name }: { href: string; name: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={PAGE_ACTION}>
      Open in {name}
      <span aria-hidden="true"> ↗</span>
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
