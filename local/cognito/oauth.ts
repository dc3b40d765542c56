import { createHash, randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import type { Services } from "cognito-local/lib/services/index.js";
import { z } from "zod";
import type { SandboxContext } from "../context";
import { readBody, sendJson } from "../http";
import type { EdgeRequest } from "../service";
import type { HostedSessions } from "./session";
import { sameSecret } from "./session";
import { findUserPool, quietContext } from "./services";
import { ADMIN_SCOPE, signingJwk, type TokenIssuer } from "./tokens";

export interface CognitoDeps {
  ctx: SandboxContext;
  services: Services;
  tokens: TokenIssuer;
  sessions: HostedSessions;
  codes: AuthorizationCodes;
}

export const SCOPES_SUPPORTED = ["openid", "email", "profile", "phone", ADMIN_SCOPE];

/** Browsers (Amplify, SPAs) call these endpoints cross-origin, as they may on real Cognito. */
export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
};

interface AuthorizationCode {
  clientId: string;
  userPoolId: string;
  username: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  nonce?: string;
  authTime: number;
  expiresAt: number;
}

/** One-time authorization codes, valid 5 minutes as on Cognito. Memory only: a restart just means signing in again. */
export class AuthorizationCodes {
  private readonly codes = new Map<string, AuthorizationCode>();

  create(data: Omit<AuthorizationCode, "expiresAt">): string {
    const now = Date.now();
    for (const [key, stored] of this.codes) if (stored.expiresAt <= now) this.codes.delete(key);
    const code = randomBytes(32).toString("base64url");
    this.codes.set(code, { ...data, expiresAt: now + 5 * 60 * 1000 });
    return code;
  }

  /** Drops a signed-out user's unused codes, so none can still be exchanged for tokens. */
  deleteForUser(userPoolId: string, username: string): void {
    for (const [key, stored] of this.codes) if (stored.userPoolId === userPoolId && stored.username === username) this.codes.delete(key);
  }

  consume(code: string): AuthorizationCode | undefined {
    const stored = this.codes.get(code);
    this.codes.delete(code);
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  }
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  const headers: Record<string, string> = { ...CORS_HEADERS, "cache-control": "no-store" };
  if (status === 401) headers["www-authenticate"] = error === "invalid_client" ? 'Basic realm="cognito"' : `Bearer error="${error}"`;
  sendJson(res, status, { error, error_description: description }, headers);
}

// GET /<userPoolId>/.well-known/openid-configuration and …/jwks.json
export async function wellKnown(deps: CognitoDeps, userPoolId: string, document: string, res: ServerResponse): Promise<void> {
  if (!(await findUserPool(deps.services.cognito, userPoolId)))
    return sendJson(res, 404, { error: "not_found", message: `User pool ${userPoolId} does not exist.` }, CORS_HEADERS);
  if (document === "jwks.json") return sendJson(res, 200, { keys: [signingJwk] }, CORS_HEADERS);
  const base = deps.ctx.url;
  sendJson(
    res,
    200,
    {
      issuer: deps.tokens.issuer(userPoolId),
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${base}/${userPoolId}/.well-known/jwks.json`,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: SCOPES_SUPPORTED,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "at_hash",
        "cognito:username",
        "cognito:groups",
        "email",
        "email_verified",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "phone_number",
        "phone_number_verified",
      ],
    },
    CORS_HEADERS,
  );
}

const tokenRequest = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: z.string().min(1).max(512),
    redirect_uri: z.string().min(1).max(2048),
    code_verifier: z.string().max(256).optional(),
  }),
  z.object({ grant_type: z.literal("refresh_token"), refresh_token: z.string().min(1).max(4096) }),
]);

/** client_secret_basic (RFC 6749 §2.3.1: both parts form-encoded), client_secret_post, or none. */
async function authenticateClient(deps: CognitoDeps, req: EdgeRequest, form: URLSearchParams): Promise<AppClient | string> {
  let clientId = form.get("client_id") ?? undefined;
  let secret = form.get("client_secret") ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(req.raw.headers.authorization ?? "")?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, " "));
    try {
      const basicId = decode(colon < 0 ? decoded : decoded.slice(0, colon));
      if (clientId && clientId !== basicId) return "client_id does not match the Authorization header";
      clientId = basicId;
      secret = colon < 0 ? undefined : decode(decoded.slice(colon + 1));
    } catch {
      return "Malformed Authorization header";
    }
  }
  if (!clientId) return "Client authentication is required";
  const client = await deps.services.cognito.getAppClient(quietContext, clientId);
  if (!client) return "Unknown client";
  // Public clients (no secret) authenticate with their client_id alone, as on Cognito.
  if (client.ClientSecret && !sameSecret(client.ClientSecret, secret)) return "Client authentication failed";
  return client;
}

// POST /oauth2/token
export async function token(deps: CognitoDeps, req: EdgeRequest, res: ServerResponse): Promise<void> {
  if (req.raw.method !== "POST") {
    req.raw.resume();
    return oauthError(res, 405, "invalid_request", "Use POST");
  }
  const contentType = req.raw.headers["content-type"] ?? "";
  const body = await readBody(req.raw);
  if (!contentType.startsWith("application/x-www-form-urlencoded")) {
    return oauthError(res, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(body.toString("utf8"));
  const client = await authenticateClient(deps, req, form);
  if (typeof client === "string") return oauthError(res, 401, "invalid_client", client);
  const parsed = tokenRequest.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const grant = form.get("grant_type");
    return grant === "authorization_code" || grant === "refresh_token"
      ? oauthError(res, 400, "invalid_request", `Invalid ${grant} request: ${z.prettifyError(parsed.error)}`)
      : oauthError(res, 400, "unsupported_grant_type", `Unsupported grant_type: ${grant ?? "(none)"}`);
  }
  const { cognito } = deps.services;
  const headers = { ...CORS_HEADERS, "cache-control": "no-store", pragma: "no-cache" };

  if (parsed.data.grant_type === "authorization_code") {
    const { code, redirect_uri, code_verifier } = parsed.data;
    // Consumed before any check, so a code cannot be tried twice.
    const stored = deps.codes.consume(code);
    if (!stored) return oauthError(res, 400, "invalid_grant", "Authorization code is invalid or expired");
    if (stored.clientId !== client.ClientId) return oauthError(res, 400, "invalid_grant", "Authorization code was issued to another client");
    if (stored.redirectUri !== redirect_uri) return oauthError(res, 400, "invalid_grant", "redirect_uri does not match the authorization request");
    const challenge = code_verifier ? createHash("sha256").update(code_verifier).digest("base64url") : undefined;
    if (!sameSecret(challenge, stored.codeChallenge)) return oauthError(res, 400, "invalid_grant", "code_verifier does not match code_challenge");
    const pool = await findUserPool(cognito, stored.userPoolId);
    const user = await pool?.getUserByUsername(quietContext, stored.username);
    if (!pool || !user || !user.Enabled) return oauthError(res, 400, "invalid_grant", "User is not available");
    const groups = await pool.listUserGroupMembership(quietContext, user);
    const tokens = deps.tokens.issue({
      user,
      groups,
      client,
      scopes: stored.scopes,
      nonce: stored.nonce,
      authTime: stored.authTime,
      idToken: stored.scopes.includes("openid"),
    });
    await pool.storeRefreshToken(quietContext, tokens.refreshToken, user);
    return sendJson(
      res,
      200,
      { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn, token_type: "Bearer" },
      headers,
    );
  }

  const pool = await findUserPool(cognito, client.UserPoolId);
  const user = await pool?.getUserByRefreshToken(quietContext, parsed.data.refresh_token);
  if (!pool || !user || !user.Enabled) return oauthError(res, 400, "invalid_grant", "Invalid refresh token");
  const groups = await pool.listUserGroupMembership(quietContext, user);
  const scopes = client.AllowedOAuthScopes ?? [ADMIN_SCOPE];
  const tokens = deps.tokens.issue({ user, groups, client, scopes, idToken: scopes.includes("openid") });
  sendJson(res, 200, { id_token: tokens.idToken, access_token: tokens.accessToken, expires_in: tokens.expiresIn, token_type: "Bearer" }, headers);
}

/** Which attributes each scope releases on /oauth2/userInfo (profile and the admin scope release all). */
const SCOPE_ATTRIBUTES: Record<string, string[]> = {
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
};

// GET|POST /oauth2/userInfo
export async function userInfo(deps: CognitoDeps, req: EdgeRequest, res: ServerResponse): Promise<void> {
  req.raw.resume();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.raw.headers.authorization ?? "")?.[1];
  if (!bearer) return oauthError(res, 401, "invalid_request", "Missing Bearer access token");
  const check = deps.tokens.verifyAccessToken(bearer);
  if (!check.ok) return oauthError(res, 401, "invalid_token", check.reason === "expired" ? "Access token is expired" : "Access token is invalid");
  const pool = await findUserPool(deps.services.cognito, check.userPoolId);
  const user = await pool?.getUserByUsername(quietContext, check.claims.username);
  if (!user || !user.Enabled) return oauthError(res, 401, "invalid_token", "User is not available");

  const scopes = check.claims.scope.split(" ");
  const everything = scopes.includes("profile") || scopes.includes(ADMIN_SCOPE);
  const released = new Set(scopes.flatMap((scope) => SCOPE_ATTRIBUTES[scope] ?? []));
  // Cognito answers with string values, "email_verified": "true" included.
  const info: Record<string, string> = {};
  for (const { Name, Value } of user.Attributes) if (Value !== undefined && (Name === "sub" || everything || released.has(Name))) info[Name] = Value;
  info.username = user.Username;
  sendJson(res, 200, info, { ...CORS_HEADERS, "cache-control": "no-store" });
}
