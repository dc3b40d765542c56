/** Only same-site paths are allowed as return targets: `/x`, never `//host` or `https://…`. */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  try {
    const url = new URL(value, "http://portal.invalid");
    return url.origin === "http://portal.invalid" ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}

export function signInPath(returnTo: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`;
}
