import { createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID, sign, verify, type JsonWebKey } from "node:crypto";
import { createRequire } from "node:module";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { TokenGenerator, Tokens } from "cognito-local/lib/services/tokenGenerator.js";
import type { User } from "cognito-local/lib/services/userPoolService.js";
import { z } from "zod";

// cognito-local's published key pair, so tokens verify against the same JWKS it serves.
const require = createRequire(import.meta.url);
const keyFiles = {
  private: require("cognito-local/lib/keys/cognitoLocal.private.json") as { pem: string },
  public: require("cognito-local/lib/keys/cognitoLocal.public.json") as { jwk: JsonWebKey & { kid: string } },
};
const privateKey = createPrivateKey(keyFiles.private.pem);
const publicKey = createPublicKey({ key: keyFiles.public.jwk, format: "jwk" });
export const signingJwk = keyFiles.public.jwk;

/** The scope cognito-local's API flows (InitiateAuth & co.) grant, as real Cognito does. */
export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/** Standard attributes an ID token may carry, besides `custom:*`. */
const PROFILE_ATTRIBUTES = [
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "email_verified",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "phone_number",
  "phone_number_verified",
  "address",
  "updated_at",
];

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** AWS defaults: 60 minutes for access and ID tokens, 30 days for refresh tokens. */
function lifetimeSeconds(value: number | undefined, unit: string | undefined, fallbackUnit: string, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds;
  return value * (UNIT_SECONDS[unit ?? fallbackUnit] ?? UNIT_SECONDS[fallbackUnit]!);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function signJwt(payload: object): string {
  const input = `${base64url({ kid: signingJwk.kid, alg: "RS256", typ: "JWT" })}.${base64url(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

/** Returns the payload of an RS256 JWT signed with the sandbox key, or undefined. */
export function verifyJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const { alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: unknown };
    if (alg !== "RS256") return undefined;
    if (!verify("sha256", Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString());
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const accessClaimsSchema = z.object({
  sub: z.string(),
  iss: z.string(),
  client_id: z.string(),
  username: z.string(),
  token_use: z.literal("access"),
  scope: z.string(),
  exp: z.number(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

export type AccessTokenCheck = { ok: true; claims: AccessClaims; userPoolId: string } | { ok: false; reason: "invalid" | "expired" };

export interface IssueRequest {
  user: User;
  groups: readonly string[];
  client: AppClient;
  scopes: readonly string[];
  nonce?: string;
  /** Epoch seconds of the sign-in the tokens stem from (a hosted-login session may be older). */
  authTime?: number;
  /** OAuth flows only issue an ID token when `openid` was granted. */
  idToken: boolean;
}

export interface IssuedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Signs Cognito-shaped tokens. Replaces cognito-local's generator so the ID token carries the
 * profile attributes (`name`…), and OAuth flows get their granted scopes, nonce and at_hash.
 */
export class TokenIssuer implements TokenGenerator {
  constructor(private readonly issuerDomain: string) {}

  issuer(userPoolId: string): string {
    return `${this.issuerDomain}/${userPoolId}`;
  }

  issue(request: IssueRequest): IssuedTokens {
    const { user, client, groups } = request;
    const now = Math.floor(Date.now() / 1000);
    const authTime = request.authTime ?? now;
    const attributes = new Map(user.Attributes.map((a) => [a.Name, a.Value ?? ""]));
    const originJti = randomUUID();
    const common = {
      sub: attributes.get("sub"),
      ...(groups.length > 0 ? { "cognito:groups": [...groups] } : {}),
      iss: this.issuer(client.UserPoolId),
      origin_jti: originJti,
      event_id: randomUUID(),
      auth_time: authTime,
      iat: now,
    };
    const accessLifetime = lifetimeSeconds(client.AccessTokenValidity, client.TokenValidityUnits?.AccessToken, "hours", 3600);
    const accessToken = signJwt({
      ...common,
      client_id: client.ClientId,
      token_use: "access",
      scope: request.scopes.join(" "),
      exp: now + accessLifetime,
      jti: randomUUID(),
      username: user.Username,
    });

    let idToken: string | undefined;
    if (request.idToken) {
      const readable = client.ReadAttributes?.length ? new Set(client.ReadAttributes) : undefined;
      const profile: Record<string, unknown> = {};
      for (const [name, value] of attributes) {
        if (!(PROFILE_ATTRIBUTES.includes(name) || name.startsWith("custom:")) || (readable && !readable.has(name))) continue;
        profile[name] = name.endsWith("_verified") ? value === "true" : name === "updated_at" ? Number(value) : value;
      }
      idToken = signJwt({
        ...common,
        ...profile,
        at_hash: createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url"),
        aud: client.ClientId,
        token_use: "id",
        exp: now + lifetimeSeconds(client.IdTokenValidity, client.TokenValidityUnits?.IdToken, "hours", 3600),
        jti: randomUUID(),
        "cognito:username": user.Username,
        ...(request.nonce ? { nonce: request.nonce } : {}),
      });
    }
    // Real refresh tokens are opaque (encrypted); cognito-local stores them on the user for lookup.
    return { accessToken, idToken, refreshToken: randomBytes(48).toString("base64url"), expiresIn: accessLifetime };
  }

  /** cognito-local's API flows (InitiateAuth, RespondToAuthChallenge…) call this. */
  async generate(_ctx: Context, user: User, userGroups: readonly string[], userPoolClient: AppClient): Promise<Tokens> {
    const tokens = this.issue({ user, groups: userGroups, client: userPoolClient, scopes: [ADMIN_SCOPE], idToken: true });
    return { AccessToken: tokens.accessToken, IdToken: tokens.idToken!, RefreshToken: tokens.refreshToken };
  }

  verifyAccessToken(token: string): AccessTokenCheck {
    const parsed = accessClaimsSchema.safeParse(verifyJwt(token));
    const prefix = `${this.issuerDomain}/`;
    if (!parsed.success || !parsed.data.iss.startsWith(prefix)) return { ok: false, reason: "invalid" };
    const userPoolId = parsed.data.iss.slice(prefix.length);
    if (userPoolId.includes("/")) return { ok: false, reason: "invalid" };
    if (parsed.data.exp <= Date.now() / 1000) return { ok: false, reason: "expired" };
    return { ok: true, claims: parsed.data, userPoolId };
  }
}
