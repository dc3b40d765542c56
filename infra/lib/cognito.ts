import type { StageSettings } from "./settings";

/**
 * The user pool and web client Portico needs from Cognito, as plain values in the shape of
 * Pulumi's `aws.cognito.UserPoolArgs` / `UserPoolClientArgs` (type-checked there by infra/auth.ts).
 */

export const ADMINS_GROUP = "admins";

/** Where Auth.js sends Cognito back to, and where Cognito's logout returns (lib/auth/cognito-urls.ts). */
export const CALLBACK_PATH = "/api/auth/callback/cognito";

/** A prefix unique per account (Cognito prefixes are global per Region) and free of reserved words. */
export function defaultDomainPrefix(app: string, stage: string, accountId: string): string {
  const slug = `${app}-${stage}`
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, "x")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return `${slug.slice(0, 63 - accountId.length - 1)}-${accountId}`;
}

export function managedLoginHost(prefix: string, region: string): string {
  return `${prefix}.auth.${region}.amazoncognito.com`;
}

/** COGNITO_DOMAIN_URL: the managed login's base URL (serves /oauth2/*, /signup, /logout). */
export function managedLoginUrl(prefix: string, region: string): string {
  return `https://${managedLoginHost(prefix, region)}`;
}

/** COGNITO_ISSUER: the OpenID issuer Auth.js discovers endpoints from. */
export function issuerUrl(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

type AuthSettings = StageSettings["auth"];

export function userPoolOptions(auth: AuthSettings, context: { loginHost: string; retainData: boolean }) {
  return {
    // Essentials: managed login (v2) and passkeys; the first 10,000 monthly active users are free.
    userPoolTier: "ESSENTIALS",
    usernameAttributes: ["email"],
    autoVerifiedAttributes: ["email"],
    usernameConfiguration: { caseSensitive: false },
    // No SMS configured, so email is the only way back into an account.
    accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
    // Developers sign themselves up (unless the stage says only admins create accounts); admins
    // are promoted with the `admins` group.
    adminCreateUserConfig: { allowAdminCreateUserOnly: !auth.selfSignUp },
    passwordPolicy: {
      minimumLength: auth.passwordMinLength,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      // Length beats symbol rules (NIST SP 800-63B); still three classes for older policies' sake.
      requireSymbols: false,
      temporaryPasswordValidityDays: 3,
    },
    mfaConfiguration: ({ off: "OFF", optional: "OPTIONAL", required: "ON" } as const)[auth.mfa],
    softwareTokenMfaConfiguration: auth.mfa === "off" ? undefined : { enabled: true },
    signInPolicy: { allowedFirstAuthFactors: auth.passkeys ? ["PASSWORD", "WEB_AUTHN"] : ["PASSWORD"] },
    // The passkey ceremony runs on the managed login's host, so that host is the relying party.
    webAuthnConfiguration: auth.passkeys ? { relyingPartyId: context.loginHost, userVerification: "preferred" } : undefined,
    emailConfiguration: auth.email
      ? { emailSendingAccount: "DEVELOPER", fromEmailAddress: auth.email.from, sourceArn: auth.email.sesIdentityArn }
      : { emailSendingAccount: "COGNITO_DEFAULT" },
    deletionProtection: context.retainData ? "ACTIVE" : "INACTIVE",
  };
}

/** The portal's confidential OAuth client: code flow only, the scopes Auth.js asks for, nothing implicit. */
export function webClientOptions(auth: Pick<AuthSettings, "passkeys">) {
  return {
    generateSecret: true,
    allowedOauthFlowsUserPoolClient: true,
    allowedOauthFlows: ["code"],
    allowedOauthScopes: ["openid", "email", "profile"],
    supportedIdentityProviders: ["COGNITO"],
    // USER_AUTH lets the managed login offer the passkey choice; SRP keeps passwords off the wire.
    explicitAuthFlows: [...(auth.passkeys ? ["ALLOW_USER_AUTH"] : []), "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    preventUserExistenceErrors: "ENABLED",
    enableTokenRevocation: true,
    // Tokens are read once at sign-in (sessions live in DynamoDB), so keep them short-lived.
    accessTokenValidity: 60,
    idTokenValidity: 60,
    refreshTokenValidity: 1,
    tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
  };
}

/** Callback and logout URLs for a portal at `siteUrl` (its custom domain or CloudFront URL). */
export function webClientUrls(siteUrl: string) {
  const base = siteUrl.replace(/\/+$/, "");
  if (!/^https:\/\/[^/]+$/.test(base)) throw new Error(`The portal URL must be an https origin, got "${siteUrl}"`);
  return { callbackUrls: [`${base}${CALLBACK_PATH}`], logoutUrls: [`${base}/`] };
}
