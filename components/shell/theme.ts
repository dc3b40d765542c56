/** The visitor's colour theme: a cookie, read by the server so pages render in it without a flash. */
export type Theme = "system" | "light" | "dark";
export const THEME_NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
export const THEME_LABEL: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

export function themeFromCookie(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** Switches the page now and remembers the choice for the server's next render. */
export function applyTheme(next: Theme): void {
  document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  if (next !== "system") root.classList.add(next);
}

/** The toggle's icon per theme, as SVG shapes (drawn by the React and the Preact toggle alike). */
export const THEME_ICON: Record<Theme, ["circle" | "path" | "rect", Record<string, string>][]> = {
  light: [
    ["circle", { cx: "12", cy: "12", r: "4" }],
    ["path", { d: "M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" }],
  ],
  dark: [["path", { d: "M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" }]],
  system: [
    ["rect", { x: "3", y: "4", width: "18", height: "12", rx: "2" }],
    ["path", { d: "M8 20h8M12 16v4" }],
  ],
};

export const THEME_BUTTON =
  "focus-ring inline-flex size-9 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white";
