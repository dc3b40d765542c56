"use client";

import { useEffect } from "react";
import { bindHeaderSearch } from "./search";

/** The App Router pages' side of the header search (search.ts): the listeners the docs pages' script adds too. */
export function SearchBehaviour() {
  useEffect(() => bindHeaderSearch(), []);
  return null;
}
