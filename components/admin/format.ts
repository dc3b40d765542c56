/**
 * Formatting for the admin console, safe in server and client components alike (no hooks).
 * Times are fixed to UTC so the server's HTML and the browser agree; column headers say so.
 */

export const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export const date = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
export const number = new Intl.NumberFormat("en");
const dayShort = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const dayLong = new Intl.DateTimeFormat("en", { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "Mar 4" for a YYYY-MM-DD day. */
export const formatDay = (day: string) => dayShort.format(new Date(`${day}T00:00:00Z`));
/** "Tue, Mar 4, 2025" for a YYYY-MM-DD day. */
export const formatDayLong = (day: string) => dayLong.format(new Date(`${day}T00:00:00Z`));

/** "42 %" for a share between 0 and 1. */
export const formatShare = (share: number) => `${Math.round(share * 100)} %`;

/** "3 users", "1 user". */
export const plural = (count: number, one: string, many = `${one}s`) => `${number.format(count)} ${count === 1 ? one : many}`;

/** Before/after values of an audit entry, on one line. */
export function compactJson(value: unknown): string {
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

/** Who a profile is, for sentences: their email, else name, else id. */
export const displayName = (user: { email: string | null; name: string | null; userId: string }) => user.email ?? user.name ?? user.userId;

/** Query string of the given parameters, skipping empty ones ("" when none are left). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The first value of a search parameter (Next gives arrays for repeated ones). */
export const firstParam = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
