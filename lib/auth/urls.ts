const ORIGIN = "http://portal.invalid";
/** What a browser could read as another host once it follows the path: `//`, `/\`, and their encoded forms. */
const LEAVES_SITE = /^\/(?:[/\\]|%2f|%5c)/i;
// Browsers drop tabs and newlines inside URLs ("/\t/evil" becomes "//evil"); no return path needs them, raw or encoded.
const CONTROL = /[\u0000-\u001f\u007f]|%[01][0-9a-f]|%7f/i;

/**
 * The one gate for return targets: a same-site path (`/x?y#z`), else `fallback`. The check runs on the
 * normalized path, the one a redirect would send (`/.//evil` normalizes to `//evil`), never the raw input.
 */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || CONTROL.test(value) || value.includes("\\")) return fallback;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === ORIGIN && !LEAVES_SITE.test(path) && !CONTROL.test(path) ? path : fallback;
}

/** Auth.js's redirect callback: the portal's own absolute URLs and safe paths pass; anything else goes home. */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let path: unknown = url;
  if (!url.startsWith("/")) {
    try {
      const absolute = new URL(url);
      path = absolute.origin === base.origin ? `${absolute.pathname}${absolute.search}${absolute.hash}` : undefined;
    } catch {
      path = undefined;
    }
  }
  return `${base.origin}${safeReturnPath(path)}`;
}

export function signInPath(returnTo: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`;
}
