"use client";

import { useState, useSyncExternalStore } from "react";
import {
  COPY_PAGE,
  COPY_PAGE_IDLE,
  copyPageStatus,
  copyPageThenConfirm,
  PAGE_ACTION,
  PAGE_ACTIONS,
  pageActionLinks,
  type CopyPageState,
} from "./page-markdown";

const noSubscription = () => () => {};

/**
 * A docs page's actions for AI assistants, under its title: copy its Markdown twin, view it, or
 * open it in ChatGPT or Claude. The React shell of components/ui/page-markdown.ts (the operation
 * and tag pages have the Preact one, components/docs/page-actions.tsx). The links work without JS;
 * the copy button waits for hydration.
 */
export function PageActions({ site, markdownPath, className = "" }: { site: string; markdownPath: string; className?: string }) {
  const links = pageActionLinks(site, markdownPath);
  // False on the server and while hydrating, true once the button can work.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [state, setState] = useState<CopyPageState>(COPY_PAGE_IDLE);
  const status = copyPageStatus(state);
  return (
    <div role="group" aria-label="Page actions" className={`${PAGE_ACTIONS} ${className}`}>
      <button
        type="button"
        disabled={!ready}
        onClick={() => state.kind !== "copying" && void copyPageThenConfirm(links.markdown, setState)}
        className={PAGE_ACTION}
      >
        {COPY_PAGE}
      </button>
      <span role="status" className={status.className}>
        {status.text}
      </span>
      {/* A route handler's text, not a page: a plain link, no client-side navigation. */}
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
