import { describe, expect, it } from "vitest";
import { cognitoDomainPrefix } from "@/infra/lib/settings";
import { defaultDomainPrefix, issuerUrl, managedLoginUrl, userPoolOptions, webClientOptions, webClientUrls } from "@/infra/lib/cognito";

const auth = { mfa: "optional", passkeys: true, passwordMinLength: 12, selfSignUp: true } as const;
const context = { loginHost: "portico-prod-123456789012.auth.us-east-1.amazoncognito.com", retainData: true };

describe("Cognito user pool", () => {
  it("signs users in by email with a sensible password policy and email recovery", () => {
    const pool = userPoolOptions(auth, context);
    expect(pool.usernameAttributes).toEqual(["email"]);
    expect(pool.autoVerifiedAttributes).toEqual(["email"]);
    expect(pool.passwordPolicy).toMatchObject({ minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true });
    expect(pool.accountRecoverySetting.recoveryMechanisms).toEqual([{ name: "verified_email", priority: 1 }]);
    expect(pool.adminCreateUserConfig.allowAdminCreateUserOnly).toBe(false);
  });

  it("lets only admins create accounts when self sign-up is off", () => {
    expect(userPoolOptions({ ...auth, selfSignUp: false }, context).adminCreateUserConfig.allowAdminCreateUserOnly).toBe(true);
  });

  it("offers optional TOTP MFA and passkeys on the managed login by default", () => {
    const pool = userPoolOptions(auth, context);
    expect(pool.userPoolTier).toBe("ESSENTIALS");
    expect(pool.mfaConfiguration).toBe("OPTIONAL");
    expect(pool.softwareTokenMfaConfiguration).toEqual({ enabled: true });
    expect(pool.signInPolicy.allowedFirstAuthFactors).toEqual(["PASSWORD", "WEB_AUTHN"]);
    expect(pool.webAuthnConfiguration).toEqual({ relyingPartyId: context.loginHost, userVerification: "preferred" });
  });

  it("follows the MFA and passkey settings", () => {
    const strict = userPoolOptions({ ...auth, mfa: "required", passkeys: false }, context);
    expect(strict.mfaConfiguration).toBe("ON");
    expect(strict.signInPolicy.allowedFirstAuthFactors).toEqual(["PASSWORD"]);
    expect(strict.webAuthnConfiguration).toBeUndefined();
    const off = userPoolOptions({ ...auth, mfa: "off" }, context);
    expect(off.mfaConfiguration).toBe("OFF");
    expect(off.softwareTokenMfaConfiguration).toBeUndefined();
  });

  it("sends mail through SES when configured, else Cognito's own mailer", () => {
    expect(userPoolOptions(auth, context).emailConfiguration).toEqual({ emailSendingAccount: "COGNITO_DEFAULT" });
    const email = { from: "no-reply@example.com", sesIdentityArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" };
    expect(userPoolOptions({ ...auth, email }, context).emailConfiguration).toEqual({
      emailSendingAccount: "DEVELOPER",
      fromEmailAddress: email.from,
      sourceArn: email.sesIdentityArn,
    });
  });

  it("protects the pool from deletion when the stage keeps its data", () => {
    expect(userPoolOptions(auth, context).deletionProtection).toBe("ACTIVE");
    expect(userPoolOptions(auth, { ...context, retainData: false }).deletionProtection).toBe("INACTIVE");
  });
});

describe("Cognito web client", () => {
  it("is a confidential client on the code flow with the scopes Auth.js asks for", () => {
    const client = webClientOptions(auth);
    expect(client.generateSecret).toBe(true);
    expect(client.allowedOauthFlows).toEqual(["code"]);
    expect(client.allowedOauthScopes).toEqual(["openid", "email", "profile"]);
    expect(client.supportedIdentityProviders).toEqual(["COGNITO"]);
    expect(client.preventUserExistenceErrors).toBe("ENABLED");
    expect(client.explicitAuthFlows).not.toContain("ALLOW_USER_PASSWORD_AUTH");
  });

  it("allows choice-based sign-in only with passkeys on", () => {
    expect(webClientOptions({ passkeys: true }).explicitAuthFlows).toContain("ALLOW_USER_AUTH");
    expect(webClientOptions({ passkeys: false }).explicitAuthFlows).not.toContain("ALLOW_USER_AUTH");
  });

  it("calls back to Auth.js and logs out to the portal's home, for the stage's URL", () => {
    expect(webClientUrls("https://developer.example.com")).toEqual({
      callbackUrls: ["https://developer.example.com/api/auth/callback/cognito"],
      logoutUrls: ["https://developer.example.com/"],
    });
    expect(webClientUrls("https://d111111abcdef8.cloudfront.net/").logoutUrls).toEqual(["https://d111111abcdef8.cloudfront.net/"]);
  });

  it("refuses a portal URL that is not an https origin", () => {
    expect(() => webClientUrls("http://developer.example.com")).toThrow(/https origin/);
    expect(() => webClientUrls("https://example.com/portal")).toThrow(/https origin/);
  });
});

describe("Cognito names and URLs", () => {
  it("derives a valid, account-unique managed-login prefix", () => {
    const prefix = defaultDomainPrefix("portico", "prod", "123456789012");
    expect(prefix).toBe("portico-prod-123456789012");
    expect(cognitoDomainPrefix.safeParse(prefix).success).toBe(true);
  });

  it("keeps derived prefixes valid for awkward stage names", () => {
    for (const stage of ["aws-demo", "my_Stage", "a".repeat(60), "cognito"]) {
      const prefix = defaultDomainPrefix("portico", stage, "123456789012");
      expect(cognitoDomainPrefix.safeParse(prefix).success, prefix).toBe(true);
      expect(prefix.endsWith("-123456789012")).toBe(true);
    }
  });

  it("builds the URLs the app reads", () => {
    expect(managedLoginUrl("portico-prod-1", "eu-west-1")).toBe("https://portico-prod-1.auth.eu-west-1.amazoncognito.com");
    expect(issuerUrl("eu-west-1", "eu-west-1_AbC123")).toBe("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
  });
});
