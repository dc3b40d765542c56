/** @jsxImportSource preact */
import { useState } from "preact/hooks";

/** Copies `text`; says so to screen readers too. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
      className="focus-ring rounded-md border border-zinc-600 bg-zinc-900 px-2 py-1 text-xs font-medium text-zinc-100 hover:bg-zinc-700"
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </button>
  );
}
