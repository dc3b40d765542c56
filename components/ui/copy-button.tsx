"use client";

import { useState } from "react";
import { COPIED, COPY_BUTTON, copyThenConfirm } from "./copy";

/** Copies `text`; says so to screen readers too. The React shell of components/ui/copy.ts. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" onClick={() => copyThenConfirm(text, setCopied)} className={COPY_BUTTON}>
      <span aria-live="polite">{copied ? COPIED : label}</span>
    </button>
  );
}
