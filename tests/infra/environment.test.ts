import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/lib/config";
import { LIMITS_ENV, parseLimits } from "@/lib/limits/settings";
import { DISTRIBUTION_ENV } from "@/lib/cloudfront/docs-cache";
import {
  EMAIL_FROM_ENV,
  jobEnvironment,
  marketplaceListenerEnvironment,
  notifierEnvironment,
  sesFeedbackEnvironment,
  webEnvironment,
} from "@/infra/lib/environment";
import { emailSettings } from "@/lib/notifications/email-settings";
import { settingsFor } from "@/infra/lib/settings";
import { root } from "./sdk-calls";

const TOPIC = "arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-abc123";

/** A stage that changes its limits: what every function must then be given. */
const settings = settingsFor("prod", {
  prod: {
    marketplace: { topicArns: [TOPIC] },
    limits: { controlPlane: { share: 2.5, waitSeconds: 3 }, portal: { signIn: { perIp: { requests: 5, seconds: 60 } } } },
  },
});
const limits = settings.limits;

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
  limits,
  distributionId: "E2ABCDEF123456",
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
    // lib/config.ts reads the rest; lib/limits/settings.ts reads the limits.
    const read = [...Object.keys(parseConfig({ ...env, AWS_REGION: "us-east-1" })), LIMITS_ENV, DISTRIBUTION_ENV];
    expect(Object.keys(env).filter((k) => !read.includes(k))).toEqual([]);
    expect(env).not.toHaveProperty("AWS_REGION");
    // With `email` set, the pages learn that email is on (lib/notifications/email-settings.ts); without it they don't.
    expect(env).not.toHaveProperty(EMAIL_FROM_ENV);
    expect(webEnvironment({ ...values, emailFrom: "notices@example.com" })[EMAIL_FROM_ENV]).toBe("notices@example.com");
  });

  it("gives the portal the stage's limits, as the app reads them back", () => {
    const env = webEnvironment(values);
    expect(LIMITS_ENV).toBe("PORTICO_LIMITS");
    expect(parseLimits(env[LIMITS_ENV])).toEqual(limits);
    expect(parseLimits(env[LIMITS_ENV]).controlPlane.share).toBe(2.5);
    // And the defaults when the stage sets none.
    expect(parseLimits(webEnvironment({ ...values, limits: settingsFor("dev", {}).limits })[LIMITS_ENV])).toEqual(parseLimits(undefined));
  });

  it("gives the Marketplace listener its table, the topics it may trust and the stage's limits", () => {
    expect(marketplaceListenerEnvironment({ tableName: "t", topicArns: ["arn:aws:sns:us-east-1:1:a", "arn:aws:sns:us-east-1:1:b"], limits })).toEqual({
      PORTICO_TABLE: "t",
      MARKETPLACE_TOPIC_ARNS: "arn:aws:sns:us-east-1:1:a,arn:aws:sns:us-east-1:1:b",
      PORTICO_LIMITS: JSON.stringify(limits),
    });
  });

  it("gives scheduled jobs their table and the stage's limits", () => {
    expect(jobEnvironment({ tableName: "t", limits })).toEqual({ PORTICO_TABLE: "t", PORTICO_LIMITS: JSON.stringify(limits) });
  });

  it("gives the notifier the web's URL and secret, and with email on the sender and configuration set, as the app reads them", () => {
    const base = { tableName: "t", limits, siteUrl: values.siteUrl, authSecret: values.authSecret };
    const webhooksOnly = notifierEnvironment(base);
    expect(webhooksOnly).toEqual({ ...jobEnvironment(base), AUTH_URL: values.siteUrl, AUTH_SECRET: values.authSecret });
    // The same values the portal signs and links with.
    const web = webEnvironment(values);
    expect([webhooksOnly.AUTH_URL, webhooksOnly.AUTH_SECRET]).toEqual([web.AUTH_URL, web.AUTH_SECRET]);
    const withEmail = notifierEnvironment({ ...base, email: { from: "notifications@example.com", configurationSet: "portico-prod-notices" } });
    expect(withEmail).toEqual({ ...webhooksOnly, PORTICO_EMAIL_FROM: "notifications@example.com", PORTICO_SES_CONFIGURATION_SET: "portico-prod-notices" });
    for (const name of ["AUTH_URL", "AUTH_SECRET"] as const) expect(configSchemaAccepts(name, withEmail[name]), name).toBe(true);
    expect(readEmailSettings(withEmail)).toEqual({ from: "notifications@example.com", configurationSet: "portico-prod-notices" });
    expect(readEmailSettings(webhooksOnly)).toBeUndefined();
  });

  it("gives the SES feedback listener its table and the one topic it trusts", () => {
    expect(sesFeedbackEnvironment({ tableName: "t", topicArn: "arn:aws:sns:us-east-1:1:f" })).toEqual({
      PORTICO_TABLE: "t",
      SES_FEEDBACK_TOPIC_ARN: "arn:aws:sns:us-east-1:1:f",
    });
  });
});

/** lib/config.ts's check of one variable, as the notifier's siteUrl() and authSecret() make it. */
function configSchemaAccepts(name: "AUTH_URL" | "AUTH_SECRET", value: string | undefined): boolean {
  try {
    parseConfig({ ...webEnvironment(values), AWS_REGION: "us-east-1", [name]: value });
    return true;
  } catch {
    return false;
  }
}

/** lib/notifications/email-settings.ts reading `env` as its process environment. */
function readEmailSettings(env: Record<string, string>) {
  vi.stubEnv("PORTICO_EMAIL_FROM", env.PORTICO_EMAIL_FROM);
  vi.stubEnv("PORTICO_SES_CONFIGURATION_SET", env.PORTICO_SES_CONFIGURATION_SET);
  try {
    return emailSettings();
  } finally {
    vi.unstubAllEnvs();
  }
}

/** A resolved Pulumi output, as far as infra/ uses one. */
const output = <T>(value: T) => ({ value, apply: <R>(fn: (v: T) => R) => fn(value) });
type Output = ReturnType<typeof output>;
const unwrap = (x: unknown): unknown =>
  x && typeof x === "object" && "apply" in x
    ? (x as Output).value
    : Array.isArray(x)
      ? x.map(unwrap)
      : x && typeof x === "object"
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unwrap(v)]))
        : x;

describe("every function infra/ deploys that calls API Gateway", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("runs with the same limits: the portal, the Marketplace listener and each scheduled job", async () => {
    const environments: Record<string, Record<string, string>> = {};
    const record = (name: string, args: { environment?: unknown; function?: { environment?: unknown } }) => {
      environments[name] = unwrap(args.environment ?? args.function?.environment) as Record<string, string>;
    };
    vi.stubGlobal("$resolve", (x: unknown) => output(unwrap(x)));
    vi.stubGlobal("sst", {
      aws: {
        Nextjs: class {
          constructor(name: string, args: { environment: unknown }) {
            record(name, args);
          }
        },
        Function: class {
          arn = output("arn:aws:lambda:us-east-1:123456789012:function:listener");
          constructor(name: string, args: { environment: unknown }) {
            record(name, args);
          }
        },
        CronV2: class {
          constructor(name: string, args: { function: { environment: unknown } }) {
            record(name, args);
          }
        },
        SnsTopic: { subscribe: () => undefined },
        Bus: { subscribe: () => undefined },
      },
    });
    const scope = { partition: "aws", region: "us-east-1", accountId: "123456789012" };
    const tableArn = "arn:aws:dynamodb:us-east-1:123456789012:table/portico-prod-table";
    const storage = { table: { name: output("portico-prod-table"), arn: output(tableArn) }, authSecret: { value: output(values.authSecret) } };
    const auth = {
      pool: { id: output(values.userPoolId), arn: output("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123") },
      client: { id: output(values.clientId), clientSecret: output(values.clientSecret) },
      loginUrl: values.loginUrl,
    };
    const router = { url: output(values.siteUrl) };
    // By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
    type Create = (settings: unknown, resources: unknown) => unknown;
    const { createSite } = (await import(path.join(root, "infra/web.ts"))) as { createSite: Create };
    const { createMarketplace } = (await import(path.join(root, "infra/marketplace.ts"))) as { createMarketplace: Create };
    const { createJobs } = (await import(path.join(root, "infra/jobs.ts"))) as { createJobs: Create };
    createSite(settings, { router, storage, auth, scope });
    createMarketplace(settings, { storage, scope });
    createJobs(settings, { storage, scope, siteUrl: router.url });

    expect(Object.keys(environments).sort()).toEqual(["KeySweeper", "MarketplaceListener", "Notifier", "Portal", "Reconciler", "UsageCollector"]);
    // The notifier signs its links with the portal's own secret and points them at the portal's URL.
    expect(environments.Notifier).toMatchObject({ AUTH_URL: environments.Portal!.AUTH_URL, AUTH_SECRET: environments.Portal!.AUTH_SECRET });
    for (const [name, env] of Object.entries(environments)) {
      expect(env[LIMITS_ENV], name).toBe(JSON.stringify(limits));
      expect(parseLimits(env[LIMITS_ENV]), name).toEqual(limits);
    }
  });
});
