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

/** The toggle's icon per theme, as SVG shapes (drawn by the server's markup and by the click that changes it). */
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

/** What the toggle says to screen readers: the theme in force and the one a press switches to. */
export function themeToggleLabel(theme: Theme): string {
  return `${THEME_LABEL[theme]} (switch to ${THEME_LABEL[THEME_NEXT[theme]].toLowerCase()})`;
}

/**
 * The theme button's behaviour on every page (components/shell/theme-toggle.tsx draws it): one
 * click listener on the document cycles the theme and redraws the button as the server would.
 * Keyboard presses arrive as clicks too. Returns what removes the listener.
 */
export function bindThemeToggles(): () => void {
  const onClick = (event: MouseEvent) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLElement>("[data-theme-toggle]") : null;
    if (!button) return;
    const next = THEME_NEXT[button.dataset.themeToggle as Theme];
    applyTheme(next);
    button.dataset.themeToggle = next;
    button.setAttribute("aria-label", themeToggleLabel(next));
    button.title = THEME_LABEL[next];
    button.querySelector("svg")?.replaceChildren(
      ...THEME_ICON[next].map(([shape, attributes]) => {
        const element = document.createElementNS("http://www.w3.org/2000/svg", shape);
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        return element;
      }),
    );
  };
  document.addEventListener("click", onClick);
  return () => document.removeEventListener("click", onClick);
}
