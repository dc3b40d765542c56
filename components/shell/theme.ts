/** The visitor's colour theme: a cookie, read by the server so pages render in it without a flash. */
export type Theme = "system" | "light" | "dark";
export const THEME_NEXT: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
export const THEME_LABEL: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

export function themeFromCookie(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}
