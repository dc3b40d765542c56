import { getConfig } from "../config";

/**
 * The Content-Security-Policy the portal's pages satisfy. App Router pages carry Next's inline
 * scripts, allowed by a per-request nonce (proxy.ts); the docs pages (components/docs) have no inline
 * script at all, so theirs allows only the portal's own files and can be the same for every view.
 * Forms may post to the portal itself and to Cognito's managed login (sign-in/out redirects).
 */
let fixed: { directives: (scriptSrc: string) => string; secure: boolean } | undefined;

/** Everything but script-src is fixed for the server's life: work it out once. */
function policy() {
  if (fixed) return fixed;
  const config = getConfig();
  const cognito = new URL(config.COGNITO_DOMAIN_URL).origin;
  const secure = config.AUTH_URL.startsWith("https://");
  const dev = process.env.NODE_ENV === "development";
  const directives = (scriptSrc: string) =>
    [
      "default-src 'self'",
      `script-src ${scriptSrc}${dev ? " 'unsafe-eval'" : ""}`,
      // React style attributes (charts, brand colour) need inline styles; scripts never run inline.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src 'self'${dev ? " ws:" : ""}`,
      "object-src 'none'",
      "base-uri 'self'",
      `form-action 'self' ${cognito}`,
      "frame-ancestors 'none'",
      ...(secure ? ["upgrade-insecure-requests"] : []),
    ].join("; ");
  fixed = { directives, secure };
  return fixed;
}

/** For pages whose scripts carry `nonce`. */
export function nonceCsp(nonce: string): string {
  return policy().directives(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
}

let documentCsp: string | undefined;
/** For pages with no inline script: only the portal's own script files run. */
export function selfOnlyCsp(): string {
  return (documentCsp ??= policy().directives("'self'"));
}

export const HSTS = "max-age=63072000; includeSubDomains; preload";

/** Whether the portal is served over https (then HSTS goes on every page). */
export function servedSecurely(): boolean {
  return policy().secure;
}
