"use client";

import { useState } from "react";
import { applyTheme, THEME_BUTTON, THEME_ICON, THEME_LABEL as LABEL, THEME_NEXT as NEXT, type Theme } from "./theme";

export type { Theme };

/** Cycles system → light → dark; the choice lives in a cookie so the server renders it without a flash. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <button
      type="button"
      onClick={() => {
        setTheme(NEXT[theme]);
        applyTheme(NEXT[theme]);
      }}
      className={THEME_BUTTON}
      aria-label={`${LABEL[theme]} (switch to ${LABEL[NEXT[theme]].toLowerCase()})`}
      title={LABEL[theme]}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        {THEME_ICON[theme].map(([Shape, attributes], i) => (
          <Shape key={i} {...attributes} />
        ))}
      </svg>
    </button>
  );
}
