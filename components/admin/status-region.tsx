"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";

type Announce = (message: string) => void;

const AnnounceContext = createContext<Announce>(() => {});

/**
 * A polite live region above a list of actions, and where focus goes after one succeeds. It sits
 * outside the rows, so when the row that was acted on disappears (approved, cancelled) the result
 * is still read out and keyboard focus lands somewhere sensible instead of on <body>.
 */
export function StatusRegion({ children, className = "" }: { children: ReactNode; className?: string }) {
  const [status, setStatus] = useState<{ message: string; n: number }>({ message: "", n: 0 });
  const ref = useRef<HTMLParagraphElement>(null);
  const announce = useCallback<Announce>((message) => setStatus((s) => ({ message, n: s.n + 1 })), []);

  useEffect(() => {
    if (status.n > 0) ref.current?.focus();
  }, [status]);

  return (
    <AnnounceContext.Provider value={announce}>
      <div className={className}>
        {/* Always in the DOM (visually hidden while empty), so the first message is announced too. */}
        <p
          ref={ref}
          role="status"
          tabIndex={-1}
          className={
            status.message
              ? "focus-ring mb-4 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
              : "sr-only"
          }
        >
          {status.message}
        </p>
        {children}
      </div>
    </AnnounceContext.Provider>
  );
}

/** Says `message` in the nearest StatusRegion and moves focus to it. */
export const useAnnounce = () => useContext(AnnounceContext);
