// A docs page's actions for AI assistants (issue #19), once: "Copy page as Markdown", "View as
// Markdown" and "Open in ChatGPT / Claude", all about the page's Markdown twin (`<page>.md`,
// proxy.ts). Like components/ui/copy.ts it has two thin shells: the React one on the App Router
// pages (components/ui/page-actions.tsx) and the Preact one on the operation and tag pages
// (components/docs/page-actions.tsx, with the copy button as the island islands/copy-page.tsx).

/** Where each action goes: the twin itself (site-relative, so it works without JS) and the assistants. */
export interface PageActionLinks {
  markdown: string;
  chatgpt: string;
  claude: string;
}

/** What the assistants are asked: to read the twin at its absolute URL (they have no page to resolve a path against). */
export function assistantPrompt(markdownUrl: string): string {
  return `Read ${markdownUrl} so I can ask questions about it.`;
}

/** The actions' links for the page whose twin is at `markdownPath` (`/guides/x.md`), on the portal at `site` (no trailing slash). */
export function pageActionLinks(site: string, markdownPath: string): PageActionLinks {
  const q = encodeURIComponent(assistantPrompt(`${site}${markdownPath}`));
  return { markdown: markdownPath, chatgpt: `https://chatgpt.com/?hints=search&q=${q}`, claude: `https://claude.ai/new?q=${q}` };
}

/**
 * The row, with its actions' looks declared once on it (as components/docs/schema-view.tsx's
 * SCHEMA_SCOPE does) rather than on each: the operation pages' HTML is kept small.
 */
export const PAGE_ACTIONS = [
  "flex flex-wrap items-center gap-2 text-xs text-zinc-700 dark:text-zinc-300",
  "[&_.pa]:rounded-md [&_.pa]:border [&_.pa]:border-zinc-300 [&_.pa]:px-2 [&_.pa]:py-1 [&_.pa]:font-medium [&_.pa:hover]:bg-zinc-50 [&_.pa:disabled]:opacity-60",
  "dark:[&_.pa]:border-zinc-700 dark:[&_.pa:hover]:bg-zinc-900",
].join(" ");
/** One action (a link or the copy button) in PAGE_ACTIONS. */
export const PAGE_ACTION = "pa focus-ring";
/** After the links, whichever DOM place the framework gives it. */
const STATUS = "order-last";
export const COPY_PAGE = "Copy page as Markdown";

export type CopyPageState = { kind: "idle" | "copying" | "copied" } | { kind: "failed"; message: string };
export const COPY_PAGE_IDLE: CopyPageState = { kind: "idle" };

/** The status line's words (read out by its live region) and look, for a state. */
export function copyPageStatus(state: CopyPageState): { text: string; className: string } {
  if (state.kind === "copied") return { text: "Copied", className: `${STATUS} font-medium text-emerald-700 dark:text-emerald-300` };
  if (state.kind === "failed") return { text: state.message, className: `${STATUS} text-red-700 dark:text-red-400` };
  return { text: "", className: STATUS };
}

/** A failure whose message is meant for the reader. */
class CopyPageError extends Error {}

async function fetchMarkdown(href: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(href, { headers: { accept: "text/markdown" } });
  } catch {
    throw new CopyPageError("Couldn’t copy: the Markdown didn’t load. Try View as Markdown.");
  }
  if (!response.ok) throw new CopyPageError(`Couldn’t copy: the Markdown didn’t load (HTTP ${response.status}).`);
  return response.text();
}

/**
 * Puts the twin's text on the clipboard. The clipboard is asked for at once, with the text still
 * loading (a ClipboardItem of a promise): Safari only lets the click that started it write, and
 * that click is over once the fetch is back. Browsers without that take the text when it arrives.
 */
export async function copyPageMarkdown(href: string): Promise<void> {
  const clipboard = typeof navigator === "undefined" ? undefined : navigator.clipboard;
  if (!clipboard) throw new CopyPageError("Couldn’t copy: this browser doesn’t allow it here. Use View as Markdown.");
  const text = fetchMarkdown(href);
  try {
    if (typeof ClipboardItem === "undefined") throw new Error("no ClipboardItem");
    await clipboard.write([new ClipboardItem({ "text/plain": text.then((t) => new Blob([t], { type: "text/plain" })) })]);
  } catch {
    // The fetch's own error if it failed; otherwise the plain way.
    await clipboard.writeText(await text);
  }
}

/** A state setter, as React's and Preact's useState give it. */
type SetCopyPageState = (update: CopyPageState | ((state: CopyPageState) => CopyPageState)) => void;

/** Runs the copy for a button: copying, then copied (for 2 s, unless a later press took over) or failed with the reason. */
export async function copyPageThenConfirm(href: string, setState: SetCopyPageState): Promise<void> {
  setState({ kind: "copying" });
  try {
    await copyPageMarkdown(href);
  } catch (error) {
    const message = error instanceof CopyPageError ? error.message : "Couldn’t copy: the browser blocked the clipboard. Use View as Markdown.";
    setState({ kind: "failed", message });
    return;
  }
  const copied: CopyPageState = { kind: "copied" };
  setState(copied);
  setTimeout(() => setState((state) => (state === copied ? COPY_PAGE_IDLE : state)), 2000);
}
