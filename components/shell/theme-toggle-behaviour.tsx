"use client";

import { useEffect } from "react";
import { bindThemeToggles } from "./theme";

/** The App Router pages' side of the theme button: the listener the docs pages' script adds too. */
export function ThemeToggleBehaviour() {
  useEffect(() => bindThemeToggles(), []);
  return null;
}
