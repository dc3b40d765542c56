/**
 * CloudFront's cache behaviour for the API reference's pages, as plain data in the shape of Pulumi's
 * `aws.cloudfront.CachePolicyArgs` and `DistributionOrderedCacheBehavior` (types left to inference so
 * infra/web.ts type-checks them against Pulumi's), testable without SST.
 *
 * SST's Router sends every path through one default behaviour whose cache key leaves cookies out
 * (a response a shared cache may keep would then be served to every reader, signed in or not). The
 * docs pages get their own behaviours — the default's, with this policy — whose key holds exactly
 * what the page depends on (lib/cloudfront/docs-cache.ts): the path, the `theme` cookie, the session
 * cookies (a signed-in request never meets the anonymous copy) and whether `Accept` names Markdown.
 * Query strings stay out (the docs pages read none); the TTLs leave the origin's Cache-Control in charge.
 */
import { DOCS_PATH_PATTERNS, MARKDOWN_KEY_HEADER, SESSION_COOKIE_NAMES, THEME_COOKIE } from "../../lib/cloudfront/docs-cache";

/** The longest CloudFront keeps a page whatever the origin says: a day (the origin asks for `refreshMinutes`). */
export const DOCS_MAX_TTL_SECONDS = 86_400;

export function docsCachePolicy() {
  return {
    comment: "Portico docs pages: path + theme + session cookies + Accept-names-Markdown",
    // 0 and 0: a response without s-maxage/max-age (every private one) is never kept.
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: DOCS_MAX_TTL_SECONDS,
    parametersInCacheKeyAndForwardedToOrigin: {
      cookiesConfig: { cookieBehavior: "whitelist", cookies: { items: [THEME_COOKIE, ...SESSION_COOKIE_NAMES] } },
      // x-forwarded-host: SST's Router sets it to the viewer's host, and the server policy keys on it too.
      headersConfig: { headerBehavior: "whitelist", headers: { items: [MARKDOWN_KEY_HEADER, "x-forwarded-host"] } },
      queryStringsConfig: { queryStringBehavior: "none" },
      enableAcceptEncodingBrotli: true,
      enableAcceptEncodingGzip: true,
    },
  };
}

/**
 * The docs behaviours: copies of the Router's default behaviour (its viewer-request function picks
 * the origin, its origin request policy forwards every cookie and header, its edge signing protects
 * the origin) with the docs cache policy, compressed.
 */
export function docsCacheBehaviours<B extends object>(defaultBehaviour: B, cachePolicyId: string) {
  return DOCS_PATH_PATTERNS.map((pathPattern) => ({ ...defaultBehaviour, pathPattern, cachePolicyId, compress: true }));
}
