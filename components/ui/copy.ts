// The copy button, once: its look, its words and what a press does. It has two thin shells, one
// per framework, because it lives inside stateful components of both — React client components
// (components/ui/copy-button.tsx) and the docs pages' Preact islands
// (components/docs/islands/copy-button.tsx) — and a component with state runs in its own framework.

/** Drawn on the dark code panels it sits on, so long lines scrolling under it stay hidden. */
export const COPY_BUTTON = "focus-ring rounded-md border border-zinc-600 bg-zinc-900 px-2 py-1 text-xs font-medium text-zinc-100 hover:bg-zinc-700";
/** Read out through the button's polite live region once the text is on the clipboard. */
export const COPIED = "Copied";

/** Copies `text`, then shows COPIED for a moment: `setCopied(true)`, and `false` 1.5 s later. */
export async function copyThenConfirm(text: string, setCopied: (copied: boolean) => void): Promise<void> {
  await navigator.clipboard.writeText(text);
  setCopied(true);
  setTimeout(() => setCopied(false), 1500);
}
