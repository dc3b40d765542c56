"use client";

import { useEffect, useRef, useState } from "react";

declare global {
  interface Window {
    Redoc?: { init(specUrl: string, options: Record<string, unknown>, element: HTMLElement, callback?: (error?: unknown) => void): void };
  }
}

/**
 * Redoc's single-page view of a whole spec, loaded on demand. The script comes from our origin
 * and is inserted by this (nonce-trusted) bundle, which the CSP's 'strict-dynamic' allows.
 */
export function RedocView({ specUrl, downloadUrl }: { specUrl: string; downloadUrl: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const started = useRef(false);

  useEffect(() => {
    // Redoc owns the container once it renders: never start it twice (Strict Mode runs effects twice).
    if (started.current) return;
    started.current = true;
    const render = () => {
      if (!window.Redoc || !container.current) return setState("failed");
      const options = {
        // The spec comes without raw HTML (specUrl); DOMPurify is the second line should any get through.
        untrustedSpec: true,
        // Search runs in a blob: worker, which the CSP does not allow; the portal has its own search.
        disableSearch: true,
        downloadDefinitionUrl: downloadUrl,
        expandResponses: "200,201",
        theme: { typography: { fontFamily: "ui-sans-serif, system-ui, sans-serif", headings: { fontFamily: "ui-sans-serif, system-ui, sans-serif" } } },
      };
      window.Redoc.init(specUrl, options, container.current, (error) => setState(error ? "failed" : "ready"));
    };
    if (window.Redoc) return render();
    const script = document.createElement("script");
    script.src = "/vendor/redoc";
    script.async = true;
    script.onload = render;
    script.onerror = () => setState("failed");
    document.head.appendChild(script);
  }, [specUrl, downloadUrl]);

  return (
    <div>
      {state === "loading" && (
        <p role="status" className="text-zinc-600 dark:text-zinc-400">
          Loading the single-page reference…
        </p>
      )}
      {state === "failed" && (
        <p role="alert" className="text-red-800 dark:text-red-300">
          The single-page reference could not be loaded. The per-operation pages have everything it shows.
        </p>
      )}
      <div ref={container} className="rounded-xl bg-white text-zinc-900" data-testid="redoc" />
    </div>
  );
}
