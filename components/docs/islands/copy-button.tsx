/** @jsxImportSource preact */
import { useState } from "preact/hooks";
import { COPIED, COPY_BUTTON, copyThenConfirm } from "@/components/ui/copy";

/** Copies `text`; says so to screen readers too. The Preact shell of components/ui/copy.ts. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" onClick={() => copyThenConfirm(text, setCopied)} className={COPY_BUTTON}>
      <span aria-live="polite">{copied ? COPIED : label}</span>
    </button>
  );
}
