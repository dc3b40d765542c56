/** @jsxImportSource preact */
import { THEME_ICON, THEME_LABEL, themeToggleLabel, type Theme } from "./theme";

/**
 * Cycles system → light → dark; the choice lives in a cookie so the server renders it without a
 * flash. Markup only, for the App Router pages (through Rendered) and the docs documents alike:
 * bindThemeToggles (components/shell/theme.ts) makes it work once a page's script has run.
 */
export function ThemeToggle({ theme }: { theme: Theme }) {
  return (
    <button
      type="button"
      data-theme-toggle={theme}
      className="focus-ring inline-flex size-9 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
      aria-label={themeToggleLabel(theme)}
      title={THEME_LABEL[theme]}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="size-5"
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linecap="round"
        stroke-linejoin="round"
      >
        {THEME_ICON[theme].map(([Shape, attributes], i) => (
          <Shape key={i} {...attributes} />
        ))}
      </svg>
    </button>
  );
}
