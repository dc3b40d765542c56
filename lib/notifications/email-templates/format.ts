/**
 * How notice facts read in an email. Everything in a notice's data is untrusted (key and product
 * names, reasons, endpoint URLs are typed by developers or administrators): React escapes it in
 * the HTML, and these helpers keep it to one bounded line of visible characters.
 */

// C0/C1 controls, line and paragraph separators, and the bidi overrides that can make text read
// differently from what it is ("…exe.txt" shown as "…txt.exe").
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]+/g;

/** One line of untrusted text, at most `max` characters (cut with "…"). */
export function clean(value: string, max = 120): string {
  const line = value.replace(INVISIBLE, " ").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The longest subject we write: mail clients show about half of it, and some gateways cut at 998 bytes a header line. */
export const SUBJECT_MAX = 150;

/** A Subject header: one line (no CR/LF to start another header), bounded. */
export const subjectLine = (value: string): string => clean(value, SUBJECT_MAX);

// Put together from parts, so the format doesn't follow a locale's habits ("Sept", "at", 12-hour clocks).
const parts = new Intl.DateTimeFormat("en", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
function dateParts(at: number) {
  const found = Object.fromEntries(parts.formatToParts(at).map((part) => [part.type, part.value]));
  return { day: `${found.day} ${found.month} ${found.year}`, time: `${found.hour}:${found.minute}` };
}

/** "8 Dec 2026, 00:00 UTC". The portal writes these timestamps itself; anything else is shown as it came, cleaned. */
export function formatDateTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return clean(iso, 40);
  const { day, time } = dateParts(at);
  return `${day}, ${time} UTC`;
}

/** "8 Dec 2026", from a day ("2026-12-08") or a timestamp. */
export function formatDay(value: string): string {
  const at = Date.parse(value);
  return Number.isNaN(at) ? clean(value, 40) : dateParts(at).day;
}

const count = new Intl.NumberFormat("en-GB");
/** "12,500". */
export const formatCount = (n: number): string => count.format(n);

/** “Production” (…a1b2): the name people gave the key and the last characters of its value. */
export const keyLabel = (name: string, hint: string): string => `“${clean(name, 60)}” (…${clean(hint, 8)})`;

/** A key's name alone, short enough for a subject. */
export const keyName = (name: string): string => `“${clean(name, 40)}”`;

/** A product or plan name, short enough for a subject. */
export const productName = (name: string): string => clean(name, 60);
