import { useSyncExternalStore } from "react";

// One shared clock for every relative time on the page, ticking only while something shows one.
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time on the client; null while rendering on the server (so the HTML doesn't disagree). */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "12 s ago", "3 min ago", "2 h ago": for when data was read. */
export function formatAgo(iso: string, at: number): string {
  const seconds = Math.max(0, Math.round((at - Date.parse(iso)) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

/** "in 23 hours", "in 6 days": for when something will happen. */
export function formatUntil(iso: string, at: number): string {
  const seconds = Math.round((Date.parse(iso) - at) / 1000);
  if (seconds <= 0) return "now";
  if (seconds < 3600) return relative.format(Math.max(1, Math.round(seconds / 60)), "minute");
  if (seconds < 2 * 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}

/** Fixed to UTC so the server's HTML and the browser agree. */
export const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
