import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { jobEnvironment, marketplaceListenerEnvironment, webEnvironment } from "@/infra/lib/environment";

const values = {
  tableName: "portico-prod-TableTable-abc",
  authSecret: "a-32-character-or-longer-secret-value-0123",
  siteUrl: "https://developer.example.com",
  region: "us-east-1",
  userPoolId: "us-east-1_AbC123",
  clientId: "4abcdefghijklmnopqrstuvwx",
  clientSecret: "client-secret",
  loginUrl: "https://portico-prod-123456789012.auth.us-east-1.amazoncognito.com",
  selfSignUp: true,
};

describe("environment in AWS", () => {
  it("satisfies the app's configuration contract (lib/config.ts) once Lambda adds AWS_REGION", () => {
    const env = webEnvironment(values);
    const config = parseConfig({ ...env, AWS_REGION: "us-east-1" });
    expect(config).toMatchObject({
      PORTICO_TABLE: values.tableName,
      AUTH_URL: values.siteUrl,
      COGNITO_ISSUER: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
      COGNITO_CLIENT_SECRET: values.clientSecret,
      COGNITO_DOMAIN_URL: values.loginUrl,
      PORTICO_SELF_SIGN_UP: true,
    });
    expect(parseConfig({ ...webEnvironment({ ...values, selfSignUp: false }), AWS_REGION: "us-east-1" }).PORTICO_SELF_SIGN_UP).toBe(false);
    expect(() => parseConfig({ ...env, PORTICO_SELF_SIGN_UP: "no", AWS_REGION: "us-east-1" })).toThrow(
      'PORTICO_SELF_SIGN_UP is invalid: must be "true" or "false"',
    );
  });

  it("sets only variables the app reads, and never Lambda's reserved AWS_REGION", () => {
    const env = webEnvironment(values);
    const read = Object.keys(parseConfig({ ...env, AWS_REGION: "us-east-1" }));
    expect(Object.keys(env).filter((k) => !read.includes(k))).toEqual([]);
    expect(env).not.toHaveProperty("AWS_REGION");
  });

  it("gives the Marketplace listener its table and the topics it may trust", () => {
    expect(marketplaceListenerEnvironment({ tableName: "t", topicArns: ["arn:aws:sns:us-east-1:1:a", "arn:aws:sns:us-east-1:1:b"] })).toEqual({
      PORTICO_TABLE: "t",
      MARKETPLACE_TOPIC_ARNS: "arn:aws:sns:us-east-1:1:a,arn:aws:sns:us-east-1:1:b",
    });
  });

  it("gives scheduled jobs their table", () => {
    expect(jobEnvironment({ tableName: "t" })).toEqual({ PORTICO_TABLE: "t" });
  });
});
