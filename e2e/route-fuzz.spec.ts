import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { signIn, snapshotState, USERS, withJobsPaused } from "./support";

/**
 * The route fuzzer: every route handler, server action and page that reads a param, called by
 * nobody, a developer and an admin with malformed path params, bodies, query strings, cursors and
 * encodings. Bad input gets a 4xx with a message (JSON routes: `{ error: { code, message } }`),
 * never a 5xx, and nothing changes: the table, API Gateway's keys and plans and the sign-in
 * accounts are the same afterwards. The tables must cover every route file and method, every
 * page with a dynamic segment or search params, and every server action: a new one fails this
 * test until it's added.
 */
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** json: 4xx with the error body · page: 3xx or 4xx · open: reads no input, anything but a 5xx. */
type Kind = "json" | "page" | "open";
type Route = {
  route: string;
  method: Method;
  kind: Kind;
  /** The URL with harmless values; `[name]` segments are replaced by weird ones. */
  url: string;
  /** A body that reaches the lookup and finds nothing: sent while a path param is fuzzed. */
  body?: unknown;
  /** The JSON fields the route reads (each gets values of the wrong type). */
  fields?: string[];
  /** Well-formed bodies naming things that don't exist or can't be named. */
  probes?: unknown[];
  /** The query parameters the route reads. */
  query?: string[];
  /** Who may call it here: it takes no input, and as them it would really do its work. */
  only?: Role[];
};
type Role = "anonymous" | "developer" | "admin" | "token";

/** Keys with expiries no one may set (past, too far, no such date, both ways at once): refused, nothing created. */
const EXPIRY_PROBES = [
  { name: "fuzzed", expiresAt: "2000-01-01" },
  { name: "fuzzed", expiresAt: "2027-02-30" },
  { name: "fuzzed", expiresAt: "9999-12-31T00:00:00Z" },
  { name: "fuzzed", expiresInDays: 100_000 },
  { name: "fuzzed", expiresInDays: 30, expiresAt: null },
];

const ROUTES: Route[] = [
  { route: "api/account", method: "DELETE", kind: "json", url: "/api/account", fields: ["confirm"] },
  { route: "api/admin/audit", method: "GET", kind: "json", url: "/api/admin/audit", query: ["user", "type", "cursor", "format"] },
  { route: "api/admin/catalog/refresh", method: "POST", kind: "json", url: "/api/admin/catalog/refresh", only: ["anonymous", "developer"] },
  { route: "api/admin/catalog", method: "GET", kind: "open", url: "/api/admin/catalog" },
  {
    route: "api/admin/catalog",
    method: "PATCH",
    kind: "json",
    url: "/api/admin/catalog",
    fields: ["planId", "published", "apiId", "stage", "sdks", "version"],
    probes: [
      { planId: "__proto__", published: false },
      { apiId: "toString", stage: "prod", sdks: false },
      { apiId: "AAAA", stage: "constructor", sdks: false },
    ],
  },
  { route: "api/admin/config", method: "GET", kind: "open", url: "/api/admin/config" },
  { route: "api/admin/invites/[email]", method: "POST", kind: "json", url: "/api/admin/invites/[email]" },
  { route: "api/admin/invites/[email]", method: "DELETE", kind: "json", url: "/api/admin/invites/[email]" },
  {
    route: "api/admin/invites",
    method: "POST",
    kind: "json",
    url: "/api/admin/invites",
    fields: ["email", "name"],
    probes: [{ email: "__proto__" }, { email: "a%25@example.com%" }],
  },
  { route: "api/admin/overview", method: "GET", kind: "open", url: "/api/admin/overview" },
  { route: "api/admin/registration", method: "GET", kind: "open", url: "/api/admin/registration" },
  {
    route: "api/admin/registration",
    method: "PUT",
    kind: "json",
    url: "/api/admin/registration",
    fields: ["mode"],
    probes: [{ mode: "__proto__" }, { mode: "toString" }],
  },
  {
    route: "api/admin/subscriptions/[userId]/[planId]",
    method: "POST",
    kind: "json",
    url: "/api/admin/subscriptions/[userId]/[planId]",
    body: { decision: "reject" },
    fields: ["decision", "reason"],
  },
  { route: "api/admin/subscriptions", method: "GET", kind: "open", url: "/api/admin/subscriptions" },
  { route: "api/admin/users/[userId]", method: "GET", kind: "json", url: "/api/admin/users/[userId]" },
  {
    route: "api/admin/users/[userId]",
    method: "POST",
    kind: "json",
    url: "/api/admin/users/[userId]",
    body: { action: "disable" },
    fields: ["action"],
    probes: [{ action: "__proto__" }],
  },
  {
    route: "api/admin/users/[userId]",
    method: "DELETE",
    kind: "json",
    url: "/api/admin/users/[userId]",
    body: { confirm: "nobody@example.com" },
    fields: ["confirm"],
  },
  { route: "api/admin/users/[userId]/tokens", method: "GET", kind: "json", url: "/api/admin/users/[userId]/tokens" },
  { route: "api/admin/users/[userId]/tokens", method: "DELETE", kind: "json", url: "/api/admin/users/[userId]/tokens" },
  { route: "api/admin/users/[userId]/tokens/[tokenId]", method: "DELETE", kind: "json", url: "/api/admin/users/[userId]/tokens/[tokenId]" },
  { route: "api/admin/users", method: "GET", kind: "json", url: "/api/admin/users", query: ["q", "status", "page"] },
  { route: "api/admin/teams", method: "GET", kind: "json", url: "/api/admin/teams", query: ["q", "page"] },
  { route: "api/admin/teams/[teamId]", method: "GET", kind: "json", url: "/api/admin/teams/[teamId]" },
  {
    route: "api/admin/teams/[teamId]",
    method: "POST",
    kind: "json",
    url: "/api/admin/teams/[teamId]",
    body: { action: "disable" },
    fields: ["action"],
    probes: [{ action: "__proto__" }, { action: "enable" }],
  },
  {
    route: "api/admin/teams/[teamId]",
    method: "DELETE",
    kind: "json",
    url: "/api/admin/teams/[teamId]",
    body: { confirm: "no-such-team" },
    fields: ["confirm"],
  },
  {
    route: "api/admin/teams/[teamId]/owners",
    method: "POST",
    kind: "json",
    url: "/api/admin/teams/[teamId]/owners",
    body: { email: "nobody-fuzz@example.com" },
    fields: ["userId", "email"],
    probes: [{ userId: "__proto__" }, { email: "nobody-fuzz@example.com" }, { userId: "nobody", email: "nobody-fuzz@example.com" }],
  },
  { route: "api/auth/[...nextauth]", method: "GET", kind: "page", url: "/api/auth/[nextauth]" },
  { route: "api/auth/[...nextauth]", method: "POST", kind: "page", url: "/api/auth/[nextauth]" },
  { route: "api/keys/[keyId]/reveal", method: "POST", kind: "json", url: "/api/keys/[keyId]/reveal", query: ["team"] },
  {
    route: "api/keys/[keyId]/rotate",
    method: "POST",
    kind: "json",
    url: "/api/keys/[keyId]/rotate",
    body: { grace: "none" },
    fields: ["grace"],
    probes: [{ grace: "__proto__" }, { grace: "constructor" }],
    query: ["team"],
  },
  {
    route: "api/keys/[keyId]",
    method: "PATCH",
    kind: "json",
    url: "/api/keys/[keyId]",
    body: { name: "fuzzed" },
    fields: ["name", "expiresAt", "expiresInDays"],
    query: ["team"],
  },
  { route: "api/keys/[keyId]", method: "DELETE", kind: "json", url: "/api/keys/[keyId]", query: ["team"] },
  { route: "api/keys", method: "GET", kind: "open", url: "/api/keys", query: ["team", "include"] },
  { route: "api/keys", method: "POST", kind: "json", url: "/api/keys", fields: ["name", "expiresAt", "expiresInDays"], probes: EXPIRY_PROBES, query: ["team"] },
  { route: "api/marketplace/activate", method: "POST", kind: "json", url: "/api/marketplace/activate", query: ["team"] },
  { route: "api/marketplace/activate", method: "DELETE", kind: "open", url: "/api/marketplace/activate" },
  { route: "api/me", method: "GET", kind: "open", url: "/api/me" },
  { route: "api/notifications/deliveries", method: "GET", kind: "json", url: "/api/notifications/deliveries", query: ["cursor"] },
  { route: "api/notifications/preferences", method: "GET", kind: "open", url: "/api/notifications/preferences" },
  {
    route: "api/notifications/preferences",
    method: "PATCH",
    kind: "json",
    url: "/api/notifications/preferences",
    fields: ["email", "webhook"],
    probes: [
      { email: { constructor: false } },
      { email: { toString: false } },
      { webhook: { quota: "false" } },
      { sms: { quota: false } },
      { email: { quota: false, isAdmin: true } },
    ],
  },
  // Public: the signed link is the credential, so nobody included gets a 400 for a link that isn't one.
  { route: "api/notifications/unsubscribe", method: "POST", kind: "json", url: "/api/notifications/unsubscribe", query: ["u", "c", "t"] },
  // A GET only ever leads to the page that asks first (303), whatever it carries.
  { route: "api/notifications/unsubscribe", method: "GET", kind: "page", url: "/api/notifications/unsubscribe", query: ["u", "c", "t"] },
  { route: "api/notifications/webhooks", method: "GET", kind: "open", url: "/api/notifications/webhooks" },
  {
    route: "api/notifications/webhooks",
    method: "POST",
    kind: "json",
    url: "/api/notifications/webhooks",
    fields: ["url", "description"],
    // The e2e portal allows loopback targets (PORTICO_WEBHOOKS_ALLOW_PRIVATE): only URLs no setting accepts.
    probes: [
      { url: "javascript:alert(1)" },
      { url: "ftp://127.0.0.1/x" },
      { url: "https://user:pw@example.com/hook" },
      { url: "https://example.com/hook#x" },
      { url: "https://example.com/\u0000" },
      { url: "__proto__" },
      { url: "https://example.com/hook", description: "x".repeat(201) },
    ],
  },
  {
    route: "api/notifications/webhooks/[endpointId]",
    method: "PATCH",
    kind: "json",
    url: "/api/notifications/webhooks/[endpointId]",
    body: { enabled: false },
    fields: ["description", "enabled"],
    probes: [{ enabled: "false" }, { url: "https://example.com/moved" }],
  },
  { route: "api/notifications/webhooks/[endpointId]", method: "DELETE", kind: "json", url: "/api/notifications/webhooks/[endpointId]" },
  { route: "api/notifications/webhooks/[endpointId]/rotate", method: "POST", kind: "json", url: "/api/notifications/webhooks/[endpointId]/rotate" },
  { route: "api/notifications/webhooks/[endpointId]/test", method: "POST", kind: "json", url: "/api/notifications/webhooks/[endpointId]/test" },
  { route: "api/search", method: "GET", kind: "json", url: "/api/search", query: ["q", "limit"] },
  { route: "api/subscriptions/[planId]", method: "DELETE", kind: "json", url: "/api/subscriptions/[planId]", query: ["team"] },
  { route: "api/subscriptions", method: "GET", kind: "open", url: "/api/subscriptions", query: ["team"] },
  {
    route: "api/subscriptions",
    method: "POST",
    kind: "json",
    url: "/api/subscriptions",
    fields: ["product", "ends"],
    probes: [{ product: "__proto__" }, { product: "constructor" }, { product: "toString", ends: ["AAAA"] }],
    query: ["team"],
  },
  // Teams (lib/teams): probes name teams, people and invitations that don't exist, or reserved slugs.
  { route: "api/teams", method: "GET", kind: "open", url: "/api/teams" },
  {
    route: "api/teams",
    method: "POST",
    kind: "json",
    url: "/api/teams",
    fields: ["name", "slug"],
    probes: [
      { name: "x", slug: "join" },
      { name: "x", slug: "__proto__" },
      { name: "\u202e", slug: "fine" },
      { name: "x".repeat(81), slug: "fine" },
    ],
  },
  { route: "api/teams/[team]", method: "GET", kind: "json", url: "/api/teams/[team]" },
  {
    route: "api/teams/[team]",
    method: "PATCH",
    kind: "json",
    url: "/api/teams/[team]",
    body: { name: "fuzzed" },
    fields: ["name", "rotateOnDeparture"],
    probes: [{ rotateOnDeparture: "forever" }, { rotateOnDeparture: "__proto__" }, {}],
  },
  { route: "api/teams/[team]", method: "DELETE", kind: "json", url: "/api/teams/[team]" },
  {
    route: "api/teams/[team]/members/[userId]",
    method: "PATCH",
    kind: "json",
    url: "/api/teams/[team]/members/[userId]",
    body: { role: "viewer" },
    fields: ["role"],
  },
  { route: "api/teams/[team]/members/[userId]", method: "DELETE", kind: "json", url: "/api/teams/[team]/members/[userId]", query: ["rotateRevealed", "grace"] },
  { route: "api/teams/[team]/invites", method: "GET", kind: "json", url: "/api/teams/[team]/invites" },
  {
    route: "api/teams/[team]/invites",
    method: "POST",
    kind: "json",
    url: "/api/teams/[team]/invites",
    body: { email: "fuzzed@example.com", role: "member" },
    fields: ["email", "role"],
  },
  { route: "api/teams/[team]/invites/[inviteId]", method: "DELETE", kind: "json", url: "/api/teams/[team]/invites/[inviteId]" },
  { route: "api/teams/[team]/invites/[inviteId]/resend", method: "POST", kind: "json", url: "/api/teams/[team]/invites/[inviteId]/resend" },
  { route: "api/teams/[team]/transfer", method: "POST", kind: "json", url: "/api/teams/[team]/transfer", body: { userId: "nobody" }, fields: ["userId"] },
  { route: "api/teams/[team]/leave", method: "POST", kind: "json", url: "/api/teams/[team]/leave" },
  { route: "api/teams/[team]/rotate-seen", method: "POST", kind: "json", url: "/api/teams/[team]/rotate-seen", query: ["grace"] },
  {
    route: "api/teams/join",
    method: "POST",
    kind: "json",
    url: "/api/teams/join",
    fields: ["token"],
    probes: [{ token: `team_${"a".repeat(20)}.${"b".repeat(16)}.${"c".repeat(43)}` }, { token: "__proto__" }],
  },
  {
    route: "api/teams/join/decline",
    method: "POST",
    kind: "json",
    url: "/api/teams/join/decline",
    fields: ["token"],
    probes: [{ token: `team_${"a".repeat(20)}.${"b".repeat(16)}.${"c".repeat(43)}` }],
  },
  { route: "api/tokens/[tokenId]", method: "DELETE", kind: "json", url: "/api/tokens/[tokenId]", query: ["team"] },
  { route: "api/tokens", method: "GET", kind: "open", url: "/api/tokens", query: ["team"] },
  {
    route: "api/tokens",
    method: "POST",
    kind: "json",
    url: "/api/tokens",
    query: ["team"],
    fields: ["name", "scopes", "expiresInDays"],
    probes: [
      { name: "fuzzed", scopes: ["__proto__"] },
      { name: "fuzzed", scopes: ["read"], expiresInDays: "constructor" },
      { name: "fuzzed", expiresInDays: 31 },
      { name: "fuzzed", scopes: "manage" },
      { name: "__proto__", scopes: ["read"], expiresInDays: 30, isAdmin: true },
    ],
  },
  {
    route: "api/try",
    method: "POST",
    kind: "json",
    url: "/api/try",
    fields: ["api", "operation", "pathParams", "query", "body", "contentType", "keyId", "team", "validate"],
    probes: [
      { api: "__proto__", operation: "list-pets" },
      { api: "pets", operation: "constructor" },
      { api: "pets", operation: "__proto__" },
      // Keys are named by id, and only the caller's own: nothing here reaches the relay.
      { api: "pets", operation: "list-pets", keyId: "__proto__" },
      { api: "pets", operation: "list-pets", keyId: "AAAA" },
      { api: "pets", operation: "list-pets", apiKey: "pasted-value" },
      { api: "pets", operation: "list-pets", keyId: "AAAA", team: "__proto__" },
      { api: "pets", operation: "list-pets", keyId: "AAAA", team: "../../admin" },
    ],
  },
  { route: "api/usage", method: "GET", kind: "json", url: "/api/usage?plan=AAAA", query: ["plan", "days", "refresh", "format", "team"] },
  // The Developer API: a portal token decides who is calling (the "token" role below); without one, 401.
  { route: "api/v1/apis", method: "GET", kind: "open", url: "/api/v1/apis" },
  { route: "api/v1/keys", method: "GET", kind: "open", url: "/api/v1/keys" },
  { route: "api/v1/keys", method: "POST", kind: "json", url: "/api/v1/keys", fields: ["name", "expiresAt", "expiresInDays"], probes: EXPIRY_PROBES },
  {
    route: "api/v1/keys/[keyId]",
    method: "PATCH",
    kind: "json",
    url: "/api/v1/keys/[keyId]",
    body: { name: "fuzzed" },
    fields: ["name", "expiresAt", "expiresInDays"],
    query: ["team"],
  },
  { route: "api/v1/keys/[keyId]", method: "DELETE", kind: "json", url: "/api/v1/keys/[keyId]" },
  { route: "api/v1/keys/[keyId]/reveal", method: "POST", kind: "json", url: "/api/v1/keys/[keyId]/reveal" },
  {
    route: "api/v1/keys/[keyId]/rotate",
    method: "POST",
    kind: "json",
    url: "/api/v1/keys/[keyId]/rotate",
    body: { grace: "none" },
    fields: ["grace"],
    probes: [{ grace: "__proto__" }],
  },
  { route: "api/v1/me", method: "GET", kind: "open", url: "/api/v1/me" },
  { route: "api/v1/products", method: "GET", kind: "open", url: "/api/v1/products" },
  { route: "api/v1/subscriptions", method: "GET", kind: "open", url: "/api/v1/subscriptions" },
  {
    route: "api/v1/subscriptions",
    method: "POST",
    kind: "json",
    url: "/api/v1/subscriptions",
    fields: ["product", "ends"],
    probes: [{ product: "__proto__" }, { product: "constructor", ends: ["AAAA"] }],
  },
  { route: "api/v1/subscriptions/[planId]", method: "DELETE", kind: "json", url: "/api/v1/subscriptions/[planId]" },
  { route: "api/v1/usage", method: "GET", kind: "json", url: "/api/v1/usage?plan=AAAA", query: ["plan", "days", "refresh"] },
  // The MCP server answers JSON-RPC (its errors are JSON-RPC's, tool refusals are results): no 5xx, nothing changed.
  { route: "mcp", method: "GET", kind: "open", url: "/mcp" },
  { route: "mcp", method: "DELETE", kind: "open", url: "/mcp" },
  {
    route: "mcp",
    method: "POST",
    kind: "open",
    url: "/mcp",
    fields: ["jsonrpc", "method", "params", "id"],
    probes: [
      ...(
        [
          ["call_operation", { api: "__proto__", operation: "list-pets" }],
          ["call_operation", { api: "pets", operation: "get-pet", pathParams: { petId: "../../admin" } }],
          ["call_operation", { api: "pets", operation: "constructor", keyId: "AAAA" }],
          ["read_page", { path: "/../../etc/passwd" }],
          ["read_page", { path: "https://evil.example/apis/pets" }],
          ["read_operation", { api: "pets", operation: "list-pets", offset: -1 }],
          ["reveal_key", { keyId: "AAAA" }],
          ["get_usage", { plan: "__proto__" }],
          ["list_apis", { cursor: "-5" }],
          ["search_docs", { query: "x".repeat(5_000) }],
          ["no_such_tool", {}],
        ] as const
      ).map(([name, args], id) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } })),
      { jsonrpc: "2.0", id: 1, method: "__proto__", params: {} },
      { jsonrpc: "2.0", method: "tools/list" },
    ],
  },
  { route: "apis/[api]/operations/[operation]", method: "GET", kind: "page", url: "/apis/[api]/operations/[operation]" },
  { route: "apis/[api]/sdks/[type]", method: "GET", kind: "json", url: "/apis/[api]/sdks/[type]" },
  { route: "apis/[api]/single-page/spec", method: "GET", kind: "json", url: "/apis/[api]/single-page/spec" },
  { route: "apis/[api]/spec/[format]", method: "GET", kind: "json", url: "/apis/[api]/spec/[format]" },
  { route: "apis/[api]/tags/[tag]", method: "GET", kind: "page", url: "/apis/[api]/tags/[tag]" },
  // The Markdown twins: proxy.ts rewrites `<page>.md` and `/apis/<api>/llms-full.txt` to md/[...path] (JSON errors).
  { route: "md/[...path]", method: "GET", kind: "json", url: "/md/[path]" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/apis/[api].md" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/apis/[api]/operations/[operation].md" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/apis/[api]/tags/[tag].md" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/apis/[api]/llms-full.txt" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/guides/[slug].md" },
  { route: "md/[...path]", method: "GET", kind: "json", url: "/products/[slug].md" },
  { route: "llms.txt", method: "GET", kind: "open", url: "/llms.txt" },
  { route: "llms-full.txt", method: "GET", kind: "open", url: "/llms-full.txt" },
  // Metadata routes (app/sitemap.ts, app/robots.ts): not route.ts files, so not required above, but fuzzed all the same.
  { route: "sitemap.xml", method: "GET", kind: "open", url: "/sitemap.xml" },
  { route: "robots.txt", method: "GET", kind: "open", url: "/robots.txt" },
  { route: "brand/logo", method: "GET", kind: "open", url: "/brand/logo" },
  { route: "catalog-assets/[...path]", method: "GET", kind: "page", url: "/catalog-assets/[path]" },
  { route: "marketplace-confirm/[usagePlanId]", method: "GET", kind: "page", url: "/marketplace-confirm/[usagePlanId]" },
  { route: "marketplace-confirm/[usagePlanId]", method: "POST", kind: "page", url: "/marketplace-confirm/[usagePlanId]", fields: ["x-amzn-marketplace-token"] },
  { route: "marketplace/confirm", method: "GET", kind: "page", url: "/marketplace/confirm" },
  { route: "marketplace/confirm", method: "POST", kind: "page", url: "/marketplace/confirm", fields: ["x-amzn-marketplace-token"] },
  { route: "teams/join/open", method: "GET", kind: "page", url: "/teams/join/open", query: ["token"] },
  { route: "register", method: "GET", kind: "page", url: "/register", query: ["callbackUrl"] },
  { route: "signin/start", method: "POST", kind: "page", url: "/signin/start", fields: ["callbackUrl"] },
  // Signing out is what it does for anyone signed in, whatever they send.
  { route: "sign-out", method: "POST", kind: "page", url: "/sign-out", only: ["anonymous"] },
  { route: "vendor/redoc", method: "GET", kind: "open", url: "/vendor/redoc" },
];

/** Pages with a dynamic segment or search params. */
const PAGES: { page: string; url: string; query?: string[] }[] = [
  { page: "admin/audit", url: "/admin/audit", query: ["user", "type", "cursor"] },
  { page: "admin/users/[userId]", url: "/admin/users/[userId]" },
  { page: "admin/users", url: "/admin/users", query: ["q", "status", "page"] },
  { page: "admin/teams", url: "/admin/teams", query: ["q", "page", "deleted"] },
  { page: "admin/teams/[teamId]", url: "/admin/teams/[teamId]" },
  { page: "apis/[api]", url: "/apis/[api]" },
  { page: "apis/[api]/single-page", url: "/apis/[api]/single-page" },
  { page: "guides/[slug]", url: "/guides/[slug]" },
  { page: "marketplace/activate", url: "/marketplace/activate", query: ["problem"] },
  { page: "notifications/unsubscribe", url: "/notifications/unsubscribe", query: ["u", "c", "t", "done"] },
  { page: "products/[slug]", url: "/products/[slug]" },
  { page: "search", url: "/search", query: ["q"] },
  { page: "teams/[slug]", url: "/teams/[slug]" },
  { page: "teams/[slug]/tokens", url: "/teams/[slug]/tokens" },
  { page: "teams/join", url: "/teams/join", query: ["token", "problem"] },
  { page: "signin", url: "/signin", query: ["error", "callbackUrl"] },
];

/** Server actions by file and export, with the page that renders them and the form fields they read. */
const ACTIONS: { action: string; page: string; fields: string[]; useActionState: boolean }[] = [
  { action: "app/actions/sessions.ts#revokeOtherSessionsAction", page: "/account", fields: [], useActionState: true },
  { action: "app/actions/sessions.ts#revokeSessionAction", page: "/account", fields: ["sessionId"], useActionState: true },
];

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** Raw URL text: encoded as written, so `%` and broken UTF-8 reach the server as they are. */
const WEIRD_SEGMENTS = [
  "%25",
  "%",
  "%E0%A4%A",
  "%C0%AF",
  // (A bare `..` never reaches the server: the client resolves it.)
  "..%2F..",
  "...",
  "%2E%2E%2Fpackage.json",
  "__proto__",
  "constructor",
  "toString",
  "x".repeat(3_000),
  encodeURIComponent("ünï©ødé·キー"),
  "%F0%9F%92%A9",
  "a%00b",
  "%0A%0D",
  "%2F",
];

function cursors(ids: Ids): string[] {
  return [
    "!!!",
    "%25",
    "%E0%A4%A",
    b64("not json"),
    b64("[]"),
    b64("null"),
    b64('"AUDIT"'),
    "eyJwayI6ICJBVURJVCJ9", // {"pk": "AUDIT"}: the right partition, no sort key
    b64({ pk: "AUDIT", sk: 5 }),
    b64({ pk: "AUDIT", sk: "" }),
    b64({ pk: "AUDIT", sk: "2024-01-01T00:00:00.000Z#x", extra: true }),
    b64({ pk: `USER#${ids.developerId}`, sk: `USER#${ids.developerId}` }), // another partition
    b64({ pk: "AUDIT", sk: "x", GSI1PK: `AUDIT#${ids.developerId}`, GSI1SK: "x" }), // another user's index partition
    b64({ __proto__: { pk: "AUDIT" }, constructor: 1 }),
    "A".repeat(5_000),
  ];
}

const WEIRD_QUERY = ["%25", "%", "%E0%A4%A", "__proto__", "constructor", "-1", "1e309", "x".repeat(3_000), encodeURIComponent("ünï"), "%00"];

/** Bodies no route accepts: not JSON, the wrong JSON type, prototype keys, too big. */
const JUNK_BODIES: { data: string; contentType: string }[] = [
  { data: "not json", contentType: "application/json" },
  { data: "{", contentType: "application/json" },
  { data: "", contentType: "application/json" },
  { data: "[]", contentType: "application/json" },
  { data: "null", contentType: "application/json" },
  { data: "42", contentType: "application/json" },
  { data: '"x"', contentType: "application/json" },
  { data: "{}", contentType: "application/json" },
  { data: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}', contentType: "application/json" },
  { data: `[${"[".repeat(5_000)}${"]".repeat(5_000)}]`, contentType: "application/json" },
  { data: JSON.stringify({ name: "x".repeat(300_000) }), contentType: "application/json" },
  { data: "name=fuzzed&confirm=x", contentType: "application/x-www-form-urlencoded" },
  { data: "\u0000\uFFFD\uD800", contentType: "text/plain" },
];
const WRONG_TYPES: unknown[] = [null, 42, true, ["x"], { nested: {} }, "x".repeat(70_000)];

type Ids = { developerId: string; adminId: string };

/** Harmless values for each param: they name nothing, so a correct route answers 4xx. */
const HARMLESS: Record<string, string> = {
  email: "nobody-fuzz@example.com",
  userId: "nobody",
  planId: "AAAA",
  keyId: "AAAA",
  api: "pets",
  operation: "list-pets",
  tag: "pets",
  type: "javascript",
  format: "json",
  path: "images/pets.svg",
  usagePlanId: "AAAA",
  nextauth: "session",
  slug: "free",
  // A well-formed slug that names no team (the admin team routes take an id or a slug).
  teamId: "no-such-team",
  // Well-formed: a token id that names no token.
  tokenId: "aaaaaaaaaaaa",
  endpointId: "ep_AAAA",
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const APP = path.join(process.cwd(), "app");

function files(dir = APP): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(APP, path.join(e.parentPath, e.name)));
}

/** The folder a file under app/ serves, as a URL path: route groups (`(public)/`) are not part of it. */
const servedFolder = (f: string) => path.dirname(f.replace(/\([^/]+\)\//g, ""));

/** `METHOD folder` for every route.ts under app/, from what it exports. */
function routeMethods(): string[] {
  return files()
    .filter((f) => path.basename(f) === "route.ts")
    .flatMap((f) => {
      const source = readFileSync(path.join(APP, f), "utf8");
      const exported = (m: string) => new RegExp(`export (const|async function|function) ${m}\\b|export (const )?\\{[^}]*\\b${m}\\b[^}]*\\}`).test(source);
      return METHODS.filter(exported).map((m) => `${m} ${servedFolder(f)}`);
    });
}

function paramPages(): string[] {
  return files()
    .filter((f) => path.basename(f) === "page.tsx")
    .filter((f) => f.includes("[") || readFileSync(path.join(APP, f), "utf8").includes("searchParams"))
    .map(servedFolder);
}

/** `file#export` for every export of every "use server" file. */
function serverActions(): string[] {
  return files()
    .filter((f) => /\.tsx?$/.test(f) && readFileSync(path.join(APP, f), "utf8").startsWith('"use server"'))
    .flatMap((f) => [...readFileSync(path.join(APP, f), "utf8").matchAll(/export (?:const|async function) (\w+)/g)].map((m) => `app/${f}#${m[1]}`));
}

/** Each `[param]` in turn replaced by each weird value, the others harmless. */
function withWeirdParams(url: string): string[] {
  const names = [...url.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
  const harmless = (u: string) => u.replace(/\[(\w+)\]/g, (_, n: string) => HARMLESS[n]!);
  return names.flatMap((name) => WEIRD_SEGMENTS.map((weird) => harmless(url.replace(`[${name}]`, weird))));
}

type Sent = { label: string; response: APIResponse };
/** lenient: the input may well be valid (a search for "constructor"), so only no 5xx, and a message if refused. */
type Call = { method: Method; url: string; data?: string | undefined; contentType?: string; lenient?: boolean };

async function send(request: APIRequestContext, call: Call): Promise<Sent> {
  const response = await request.fetch(call.url, {
    method: call.method,
    maxRedirects: 0,
    ...(call.data !== undefined ? { data: call.data, headers: { "content-type": call.contentType ?? "application/json" } } : {}),
  });
  return { label: `${call.method} ${call.url.slice(0, 120)}${call.data !== undefined ? ` ${call.data.slice(0, 80)}` : ""}`, response };
}

/** The malformed calls for one route, with what a correct answer looks like. */
function callsFor(route: Route, ids: Ids, light: boolean): Call[] {
  const harmlessUrl = route.url.replace(/\[(\w+)\]/g, (_, n: string) => HARMLESS[n]!);
  const calls: Call[] = withWeirdParams(route.url).map((url) => ({ method: route.method, url, ...(route.body ? { data: JSON.stringify(route.body) } : {}) }));
  const sep = harmlessUrl.includes("?") ? "&" : "?";
  for (const name of route.query ?? []) {
    const values = name === "cursor" ? cursors(ids) : WEIRD_QUERY;
    calls.push(...values.map((v) => ({ method: route.method, url: `${harmlessUrl}${sep}${name}=${v}`, lenient: name !== "cursor" })));
    calls.push({ method: route.method, url: `${harmlessUrl}${sep}${name}=a&${name}=b&${name}[]=c`, lenient: true });
  }
  if (route.query?.includes("cursor")) {
    // A cursor from another user's index partition while filtering by this user.
    calls.push(...cursors(ids).map((c) => ({ method: route.method, url: `${harmlessUrl}${sep}user=${ids.adminId}&cursor=${c}` })));
  }
  if (light) {
    // Nobody is refused before any input is read: a few bodies show it.
    if (route.fields || route.probes)
      calls.push(...JUNK_BODIES.slice(0, 3).map((b) => ({ method: route.method, url: harmlessUrl, data: b.data, contentType: b.contentType })));
  } else if (route.fields || route.probes) {
    calls.push(...JUNK_BODIES.map((b) => ({ method: route.method, url: harmlessUrl, data: b.data, contentType: b.contentType })));
    for (const field of route.fields ?? [])
      calls.push(...WRONG_TYPES.map((v) => ({ method: route.method, url: harmlessUrl, data: JSON.stringify({ [field]: v }) })));
    calls.push(...(route.probes ?? []).map((p) => ({ method: route.method, url: harmlessUrl, data: JSON.stringify(p) })));
  }
  if (calls.length === 0) calls.push({ method: route.method, url: `${harmlessUrl}?%=%E0%A4%A`, data: JUNK_BODIES[0]!.data, contentType: "text/plain" });
  return calls;
}

async function expectRefused(sent: Sent, kind: Kind, lenient = false) {
  const { label, response } = sent;
  const status = response.status();
  expect.soft(status, label).toBeLessThan(500);
  if (kind === "open" || (lenient && (kind !== "json" || status < 400))) return;
  if (kind === "page") return expect.soft(status, label).toBeGreaterThanOrEqual(300);
  expect.soft(status, label).toBeGreaterThanOrEqual(400);
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  expect.soft(typeof body?.error?.code, label).toBe("string");
  expect.soft(String(body?.error?.message ?? "").length, label).toBeGreaterThan(0);
}

/** Runs calls a few at a time: fast, without flooding one Next process. */
async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, size = 16) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** The action id Next gave each `file#export` in this build. */
function actionIds(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  return new Map(Object.entries(manifest.node).map(([id, entry]) => [`${entry.filename}#${entry.exportedName}`, id]));
}

/**
 * Posts to a server action as React's client does: `0` holds the encoded arguments, `1_<field>`
 * the entries of the FormData the args refer to as `$K1`.
 */
function actionCall(request: APIRequestContext, page: string, id: string, args: string, form: Record<string, string> = {}) {
  const multipart: Record<string, string> = { "0": args };
  for (const [name, value] of Object.entries(form)) multipart[`1_${name}`] = value;
  return request.post(page, { headers: { "Next-Action": id, Accept: "text/x-component" }, multipart, maxRedirects: 0 });
}

test("malformed params, bodies, cursors and encodings get a 4xx with a message and change nothing", async ({ browser }) => {
  // About 4,000 calls; on a busy two-core machine the server answers one every 50 ms or so.
  test.setTimeout(300_000);
  // Coverage: a new route, page or action fails here until the tables above name it.
  const covered = new Set(ROUTES.map((r) => `${r.method} ${r.route}`));
  expect(routeMethods().filter((r) => !covered.has(r))).toEqual([]);
  expect(paramPages().filter((p) => !PAGES.some((q) => q.page === p))).toEqual([]);
  const ids = actionIds();
  expect(serverActions().filter((a) => !ACTIONS.some((b) => b.action === a))).toEqual([]);
  expect(ACTIONS.filter((a) => !ids.has(a.action)).map((a) => a.action)).toEqual([]);

  const developer = await browser.newPage();
  await signIn(developer, USERS.developer);
  // A second browser: the account page then offers to sign that session out.
  const otherBrowser = await browser.newPage();
  await signIn(otherBrowser, USERS.developer);
  const admin = await browser.newPage();
  await signIn(admin, USERS.admin);
  const anonymous = await browser.newContext();
  const idOf = async (request: APIRequestContext) => ((await (await request.get("/api/me")).json()) as { user: { id: string } }).user.id;
  const who: Ids = { developerId: await idOf(developer.request), adminId: await idOf(admin.request) };
  // The developer's portal token (every scope), for the Developer API and the MCP server.
  const created = await developer.request.post("/api/tokens", { data: { name: "route fuzzer", scopes: ["manage", "call"], expiresInDays: 7 } });
  expect(created.status()).toBe(201);
  const { value: token } = (await created.json()) as { value: string };
  const withToken = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}`, accept: "application/json, text/event-stream" } });
  // Its first use of the hour is written (last used, audit) now, before the state is compared.
  expect((await withToken.request.get("/api/v1/me")).status()).toBe(200);
  const roles: [Role, APIRequestContext][] = [
    ["anonymous", anonymous.request],
    ["developer", developer.request],
    ["admin", admin.request],
    ["token", withToken.request],
  ];
  const tokenRoute = (route: Route) => route.route.startsWith("api/v1/") || route.route === "mcp";

  // The jobs' timers are off meanwhile: what the usage collector writes is not the requests' doing.
  await withJobsPaused(async () => {
    const before = await snapshotState();

    for (const [role, request] of roles) {
      const calls = ROUTES.filter((r) => (!r.only || r.only.includes(role)) && (role !== "token" || tokenRoute(r))).flatMap((route) =>
        callsFor(route, who, role === "anonymous").map((call) => ({ route, call })),
      );
      await inBatches(calls, async ({ route, call }) => expectRefused(await send(request, call), route.kind, call.lenient));
      if (role === "token") continue; // no session: pages and actions see an anonymous visitor, fuzzed above

      const pageCalls = PAGES.flatMap((p) => [
        ...withWeirdParams(p.url),
        ...(p.query ?? []).flatMap((q) => (q === "cursor" ? cursors(who) : WEIRD_QUERY).map((v) => `${p.url}?${q}=${v}`)),
      ]).map((url) => url.replace(/\[(\w+)\]/g, (_, n: string) => HARMLESS[n]!));
      await inBatches(pageCalls, async (url) => {
        const response = await request.get(url, { maxRedirects: 0 });
        expect.soft(response.status(), `${role} GET ${url.slice(0, 120)}`).toBeLessThan(500);
      });
    }

    // A tampered cursor on the audit page: a message on the page, not the error boundary.
    await admin.goto("/admin/audit?cursor=eyJwayI6ICJBVURJVCJ9");
    await expect(admin.getByText("That page link isn't valid any more.")).toBeVisible();

    // Server actions over HTTP, as a hand-made client would call them. (Arguments that aren't
    // React's encoding at all fail inside Next before any action runs: a 500 we can't reach.)
    for (const [role, request] of roles.filter(([role]) => role !== "token")) {
      for (const action of ACTIONS) {
        const id = ids.get(action.action)!;
        const label = (what: string) => `${role} ${action.action} ${what}`;
        const state = action.useActionState ? "{}," : "";
        const variants: [string, string, Record<string, string>][] = [
          ["no arguments", "[]", {}],
          ["not a form", `[${state}"x"]`, {}],
          ["an object for the form", `[${state}{"sessionId":"x"}]`, {}],
          ["a missing form field", `[${state}"$K1"]`, {}],
          ...action.fields.flatMap((field) =>
            WEIRD_SEGMENTS.map((v): [string, string, Record<string, string>] => [
              `${field}=${v.slice(0, 20)}`,
              `[${state}"$K1"]`,
              { [field]: decodeURIComponent(safe(v)) },
            ]),
          ),
          ...action.fields.map((field): [string, string, Record<string, string>] => [
            `${field} of an ended session`,
            `[${state}"$K1"]`,
            { [field]: "A".repeat(22) },
          ]),
        ];
        // Without a form an action of this kind does its work for anyone signed in: only nobody tries it with one.
        const runs = action.fields.length || role === "anonymous" ? variants : variants.filter(([, args]) => !args.includes("$K1"));
        await inBatches(runs, async ([what, args, form]) => {
          const response = await actionCall(request, action.page, id, args, form);
          expect.soft(response.status(), label(what)).toBeLessThan(500);
          if (action.useActionState && response.status() === 200)
            expect.soft(await response.text(), label(what)).toMatch(/"error":\{"code":"\w+","message":"[^"]+"/);
        });
      }
    }

    // The account page shows what the action says when its form is tampered with.
    await developer.goto("/account");
    const form = developer.locator("form", { has: developer.getByRole("button", { name: /^Sign out the other browser/ }) }).first();
    for (const [value, message] of [
      ["__proto__", "That isn't one of your sessions."],
      ["A".repeat(22), "That session has already ended."],
    ] as const) {
      await form.locator('input[name="sessionId"]').evaluate((input, v) => ((input as HTMLInputElement).value = v), value);
      await form.getByRole("button", { name: /^Sign out the other browser/ }).click();
      await expect(form.getByRole("alert")).toHaveText(message);
    }

    expect(await snapshotState()).toEqual(before);
  });
  await anonymous.close();
  await otherBrowser.close();
});

/** decodeURIComponent that leaves broken escapes as they are (they go into a form field, not a URL). */
function safe(value: string): string {
  try {
    decodeURIComponent(value);
    return value;
  } catch {
    return encodeURIComponent(value);
  }
}
