/** @jsxImportSource preact */
import { useState } from "preact/hooks";
import { COPIED, COPY_BUTTON, copyThenConfirm } from "@/components/ui/copy";

/**
 * Copies `text` (or what it gives at the press: a code block's current text); says so to screen
 * readers too. The Preact shell of components/ui/copy.ts.
 */
export function CopyButton({
  text,
  label = "Copy",
  className = COPY_BUTTON,
  disabled,
}: {
  text: string | (() => string);
  label?: string;
  className?: string;
  disabled?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" disabled={disabled} onClick={() => copyThenConfirm(typeof text === "function" ? text() : text, setCopied)} className={className}>
      <span aria-live="polite">{copied ? COPIED : label}</span>
    </button>
  );
}
