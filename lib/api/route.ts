import { unstable_rethrow } from "next/navigation";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { runAs, type Actor } from "../audit";
import { assertCaller, type Caller } from "../auth/caller";
import { followCognito } from "../auth/follow-cognito";
import { getConfig } from "../config";
import { AppError, toErrorBody, type ErrorBody } from "../errors";
import { clientIp, enforcePortalLimit } from "../limits/portal";
import { withinDeadline } from "../limits/priority";
import type { PortalAction } from "../limits/settings";
import { allows, authenticateToken, SCOPE_LABELS, type TokenCaller, type TokenScope } from "../tokens";

type Handler<P> = (request: NextRequest, caller: Caller & { user: NonNullable<Caller["user"]> }, context: { params: Promise<P> }) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * What route handlers and server actions answer for anything thrown: redirect(), notFound() and the
 * like are Next's control flow and go on; the rest goes through the one translator, and what
 * becomes a 5xx is logged with `where` (the response stays opaque).
 */
export function translateThrown(error: unknown, ...where: string[]): { status: number; body: ErrorBody } {
  unstable_rethrow(error);
  const translated = toErrorBody(error);
  if (translated.status >= 500) console.error(...where, error);
  return translated;
}

/**
 * How long a request's waits for control-plane turns may run, all together: the server function
 * (infra/web.ts) gives a request 20 s, and what a wait ran into must still be answered or undone.
 */
const REQUEST_WAITS_MS = 12_000;
const REQUEST_UNDO_MS = 16_000;

/**
 * Turns anything a route handler throws into `{ error: { code, message } }` with its status.
 * `challenge`: the WWW-Authenticate header a 401 carries (token-authenticated routes).
 */
export function withErrors<P>(handler: (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>, challenge?: string) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const started = Date.now();
    try {
      return await withinDeadline(started + REQUEST_WAITS_MS, () => handler(request, context), started + REQUEST_UNDO_MS);
    } catch (error) {
      const { status, body } = translateThrown(error, "[api]", request.method, request.nextUrl.pathname);
      const headers = new Headers();
      if (body.error.retryAfterSeconds !== undefined) headers.set("Retry-After", String(body.error.retryAfterSeconds));
      if (status === 401 && challenge) headers.set("WWW-Authenticate", challenge);
      return NextResponse.json(body, { status, headers });
    }
  };
}

/** What `withCaller` does besides resolving the caller. */
export interface CallerOptions {
  /**
   * The portal limit (stage setting `limits.portal`) each state-changing call counts against,
   * checked before the handler runs, so a refused call (429, Retry-After) changes nothing. Reads
   * (GET, HEAD, OPTIONS) never count; admins are exempt from the per-person limit, not the per-IP one.
   */
  limit?: PortalAction;
}

/**
 * Wraps a route handler: resolves the caller (401/403 JSON when not allowed), refuses
 * cross-site state changes, counts the call against its rate limit, and turns anything thrown
 * into `{ error: { code, message } }`.
 */
export function withCaller<P = Record<string, never>>(role: "user" | "admin", handler: Handler<P>, options: CallerOptions = {}) {
  return withErrors<P>(async (request, context) => {
    assertSameOrigin(request);
    const caller = await assertCaller(role);
    if (options.limit && !SAFE_METHODS.has(request.method)) await enforceLimit(options.limit, request, caller);
    // Everything the handler records in the audit log is attributed to this caller.
    return runAs({ kind: role, id: caller.user.id, email: caller.user.email }, () => handler(request, caller, context));
  });
}

/** The team a request acts for (`?team=<slug>`; lib/teams/space.ts checks it), if it names one. */
export const teamParam = (request: NextRequest): string | null => request.nextUrl.searchParams.get("team");

/** Counts this request against the portal limit `action` (for reads that spend the budget, e.g. a usage refresh; withCaller's `limit` does it for changes). */
export function enforceLimit(action: PortalAction, request: NextRequest, caller: Caller & { user: NonNullable<Caller["user"]> }): Promise<void> {
  return enforcePortalLimit(action, { ip: clientIp(request.headers), userId: caller.user.id, isAdmin: caller.isAdmin });
}

type TokenHandler<P> = (request: NextRequest, caller: TokenCaller, context: { params: Promise<P> }) => Promise<Response>;

const TOKEN_CHALLENGE = 'Bearer realm="portico"';

/**
 * Wraps a consumer API route (/api/v1): the caller is the bearer portal token's owner (401 with
 * WWW-Authenticate when missing or invalid, 403 when its scopes don't include `scope`). Every
 * request counts against `limits.portal.agents` per token and per IP, and changes against
 * `options.limit` per person, as on the dashboard. No same-origin check: a token is never sent by a
 * browser on its own, so there is nothing to forge. Changes are audited as the person, via the token.
 */
export function withToken<P = Record<string, never>>(scope: TokenScope, handler: TokenHandler<P>, options: CallerOptions = {}) {
  return withErrors<P>(async (request, context) => {
    const caller = await tokenCaller(request, scope);
    if (options.limit && !SAFE_METHODS.has(request.method)) await enforceLimit(options.limit, request, caller);
    return runAs(tokenActor(caller), () => handler(request, caller, context));
  }, TOKEN_CHALLENGE);
}

/** Whom the audit log names for what a token does: its owner, via the token. */
export const tokenActor = (caller: TokenCaller): Actor => ({ kind: "user", id: caller.user.id, email: caller.user.email, token: caller.token.id });

/** The bearer token in `Authorization`, or undefined when there is none. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "Send the portal token as `Authorization: Bearer ptk_…`.");
  return match[1];
}

/** Authenticates the request's token, checks its scope and counts it against `limits.portal.agents`. */
export async function tokenCaller(request: NextRequest, scope: TokenScope): Promise<TokenCaller> {
  const value = bearerToken(request);
  if (!value) throw new AppError("unauthorized", "This API needs a portal token: send `Authorization: Bearer ptk_…` (create one on your dashboard).");
  const ip = clientIp(request.headers);
  const caller = await authenticateToken(value, ip, { follow: followCognito });
  await enforcePortalLimit("agents", { ip, userId: caller.user.id, tokenId: caller.token.id });
  requireScope(caller, scope);
  return caller;
}

/** 403 unless the token's scopes include `scope`. */
export function requireScope(caller: TokenCaller, scope: TokenScope): void {
  if (!allows(caller.token.scopes, scope))
    throw new AppError(
      "forbidden",
      `This token can't do that: it needs the "${SCOPE_LABELS[scope].title}" scope. ${
        caller.team
          ? `Make a token with it on the team's page (/teams/${caller.team}/tokens), if your role in the team allows it.`
          : "Create a token with it on your dashboard."
      }`,
    );
}

/** State changes only from the portal's own pages. */
export function assertSameOrigin(request: NextRequest): void {
  if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) throw new AppError("forbidden", "Cross-site requests are not allowed.");
}

function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  // Compare with the public URL: behind CloudFront the request's own host is not the site's.
  if (origin) return origin === new URL(getConfig().AUTH_URL).origin;
  // Browsers send Origin on cross-site POSTs; Fetch Metadata covers the rest.
  return request.headers.get("sec-fetch-site") !== "cross-site";
}

/** Validates a JSON body (or query/params object) with zod; the translator makes the first problem a 400 for people. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  return schema.parse(value);
}

export async function readJson<T extends z.ZodType>(request: NextRequest, schema: T): Promise<z.infer<T>> {
  const body: unknown = await request.json().catch(() => {
    throw new AppError("bad_request", "The request body must be JSON.");
  });
  return parseInput(schema, body);
}
