/** @jsxImportSource preact */
import { useState } from "preact/hooks";
import { applyTheme, THEME_BUTTON, THEME_ICON, THEME_LABEL as LABEL, THEME_NEXT as NEXT, type Theme } from "@/components/shell/theme";

/** The docs pages' twin of components/shell/theme-toggle.tsx: same cookie, same class, same look. */
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
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
        {THEME_ICON[theme].map(([Shape, attributes], i) => (
          <Shape key={i} {...attributes} />
        ))}
      </svg>
    </button>
  );
}
