import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

const valid = {
  AWS_REGION: "eu-west-1",
  PORTICO_TABLE: "portico-prod",
  AUTH_SECRET: "x".repeat(43),
  AUTH_URL: "https://developers.example.com",
  COGNITO_ISSUER: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
  COGNITO_CLIENT_ID: "client",
  COGNITO_USER_POOL_ID: "eu-west-1_abc",
  COGNITO_DOMAIN_URL: "https://portico.auth.eu-west-1.amazoncognito.com",
};

describe("configuration", () => {
  it("accepts a complete environment", () => {
    const config = parseConfig(valid);
    expect(config.PORTICO_TABLE).toBe("portico-prod");
    expect(config.COGNITO_CLIENT_SECRET).toBeUndefined();
  });

  it("names every missing setting", () => {
    const { AUTH_SECRET: _secret, COGNITO_ISSUER: _issuer, ...rest } = valid;
    expect(() => parseConfig(rest)).toThrow(ConfigError);
    expect(() => parseConfig(rest)).toThrow(/AUTH_SECRET is not set[\s\S]*COGNITO_ISSUER is not set/);
  });

  it("names a wrong setting and says why", () => {
    expect(() => parseConfig({ ...valid, AUTH_URL: "developers.example.com" })).toThrow(/AUTH_URL is invalid/);
    expect(() => parseConfig({ ...valid, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET is invalid: must be at least 32 characters/);
    expect(() => parseConfig({ ...valid, COGNITO_DOMAIN_URL: "ftp://x" })).toThrow(/COGNITO_DOMAIN_URL is invalid/);
  });
});
