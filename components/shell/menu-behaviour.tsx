"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * What a `<details>` menu lacks on its own: it closes when a link in it navigates (the App Router
 * keeps the header, and so the open menu, across pages), on Escape (focus back on its summary) and
 * on a click elsewhere. Without JavaScript the menu still opens and closes from its summary.
 */
export function MenuBehaviour() {
  const marker = useRef<HTMLSpanElement>(null);
  const pathname = usePathname();

  useEffect(() => {
    const menu = marker.current?.closest("details");
    if (menu) menu.open = false;
  }, [pathname]);

  useEffect(() => {
    const menu = marker.current?.closest("details");
    if (!menu) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      menu.querySelector("summary")?.focus();
    };
    const onClick = (event: MouseEvent) => {
      if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, []);

  return <span ref={marker} hidden />;
}
