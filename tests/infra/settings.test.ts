import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appSettings, SettingsError, settingsFor, type StageSettingsInput } from "@/infra/lib/settings";
import { stages } from "@/infra/stages";
import { limitsSchema, parseLimits } from "@/lib/limits/settings";

const TOPIC = "arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-abc123";

/** The problems SettingsError lists for `input` as stage "prod". */
function problems(input: StageSettingsInput | Record<string, unknown>, stage = "prod"): string[] {
  try {
    settingsFor(stage, { [stage]: input as StageSettingsInput });
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("deploy settings", () => {
  it("accepts every stage in infra/stages.ts", () => {
    for (const stage of Object.keys(stages)) expect(() => settingsFor(stage, stages)).not.toThrow();
  });

  it("gives an unlisted stage working defaults", () => {
    const s = settingsFor("dev", {});
    expect(s).toMatchObject({
      stage: "dev",
      region: "us-east-1",
      auth: { mfa: "optional", passkeys: true, passwordMinLength: 12, selfSignUp: true },
      marketplace: { topicArns: [] },
      marketplaceEnabled: false,
      waf: { enabled: true, rateLimit: 2000, rateWindowSeconds: 300, countOnly: false },
      jobs: { keySweeper: "rate(15 minutes)", reconciler: "rate(6 hours)", usageCollector: "rate(1 hour)" },
      protectOrigin: true,
      retainData: false,
      limits: {
        controlPlane: { share: 5, burst: 10, waitSeconds: 6, backgroundWaitSeconds: 60, pacing: "shared" },
        portal: {
          keys: { perUser: { requests: 20, seconds: 600 }, perIp: { requests: 60, seconds: 600 } },
          signIn: { perIp: { requests: 30, seconds: 600 } },
        },
      },
    });
    expect(s.domain).toBeUndefined();
    // The defaults are the app's own (lib/limits/settings.ts), what a process without PORTICO_LIMITS runs with.
    expect(s.limits).toEqual(limitsSchema.parse({}));
    expect(s.limits).toEqual(parseLimits(undefined));
  });

  it("turns email on with a sender, at its own domain or a parent domain named explicitly", () => {
    expect(settingsFor("dev", {}).email).toBeUndefined();
    expect(settingsFor("prod", { prod: { email: { from: "Notifications@Example.com" } } }).email).toEqual({
      from: "notifications@example.com",
      domain: "example.com",
    });
    expect(settingsFor("prod", { prod: { email: { from: "portal@mail.example.com", domain: "example.com" } } }).email).toEqual({
      from: "portal@mail.example.com",
      domain: "example.com",
    });
    expect(problems({ email: { from: "portal@example.org", domain: "example.com" } })).toEqual([
      "prod.email.from: must be an address at example.com or one of its subdomains",
    ]);
    expect(problems({ email: { from: "portal@badexample.com", domain: "example.com" } })).toEqual([
      "prod.email.from: must be an address at example.com or one of its subdomains",
    ]);
    expect(problems({ email: { from: "not an address" } })).toEqual(["prod.email.from: must be an email address such as notifications@example.com"]);
    expect(problems({ email: { from: "a@example.com", domain: "Example.com" } })[0]).toMatch(/^prod\.email\.domain: must be a lowercase host name/);
    expect(problems({ email: { from: "a@example.com", sesIdentityArn: "x" } })[0]).toMatch(/^prod\.email/);
  });

  it("takes the stage's limits, keeping the defaults of what it leaves out", () => {
    const { limits } = settingsFor("prod", {
      prod: {
        limits: {
          controlPlane: { share: 3, waitSeconds: 2 },
          portal: { tryIt: { perUser: { requests: 10, seconds: 60 }, perIp: { requests: 30, seconds: 60 } } },
        },
      },
    });
    expect(limits.controlPlane).toEqual({ share: 3, burst: 10, waitSeconds: 2, backgroundWaitSeconds: 60, pacing: "shared" });
    expect(limits.portal.tryIt).toEqual({ perUser: { requests: 10, seconds: 60 }, perIp: { requests: 30, seconds: 60 } });
    expect(limits.portal.keys).toEqual(limitsSchema.parse({}).portal.keys);
  });

  it("validates the commented limits example in infra/stages.ts", () => {
    const source = readFileSync(path.join(import.meta.dirname, "../../infra/stages.ts"), "utf8");
    const example = /^\s*\/\/ limits: (\{.*\}),$/m.exec(source)?.[1];
    expect(example, "infra/stages.ts shows a `// limits: { … },` line").toBeDefined();
    const limits = new Function(`return (${example});`)() as StageSettingsInput["limits"];
    expect(problems({ limits })).toEqual([]);
    expect(settingsFor("prod", { prod: { limits } }).limits.controlPlane.share).toBe(3);
  });

  it("validates the README's limits examples (the stage settings and the local PORTICO_LIMITS)", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Limits"), readme.indexOf("### Deploy"));
    const stage = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(stage, 'README "Limits" shows a stage with limits').toBeDefined();
    const example = new Function(`return ({ ${stage} });`)() as Record<string, StageSettingsInput>;
    expect(problems(example.prod!)).toEqual([]);
    expect(settingsFor("prod", example).limits.portal.keys.perUser).toEqual({ requests: 10, seconds: 600 });
    const local = /`PORTICO_LIMITS='([^']+)' npm run dev`/.exec(section)?.[1];
    expect(local, 'README "Limits" shows PORTICO_LIMITS for npm run dev').toBeDefined();
    expect(parseLimits(local).portal.tryIt).toEqual({ perUser: { requests: 5, seconds: 60 }, perIp: { requests: 10, seconds: 60 } });
  });

  it("keeps data for prod and production unless told otherwise", () => {
    expect(settingsFor("prod", {}).retainData).toBe(true);
    expect(settingsFor("production", {}).retainData).toBe(true);
    expect(settingsFor("prod", { prod: { retainData: false } }).retainData).toBe(false);
    expect(settingsFor("staging", { staging: { retainData: true } }).retainData).toBe(true);
  });

  it("normalizes a domain given as a string", () => {
    expect(settingsFor("prod", { prod: { domain: "developer.example.com" } }).domain).toEqual({
      name: "developer.example.com",
      redirects: [],
      cert: undefined,
    });
  });

  it("turns the Marketplace integration on with its topics", () => {
    const s = settingsFor("prod", { prod: { marketplace: { topicArns: [TOPIC] } } });
    expect(s.marketplaceEnabled).toBe(true);
    expect(s.marketplace.topicArns).toEqual([TOPIC]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a misspelled setting", { domian: "x.example.com" }, 'prod: Unrecognized key: "domian"'],
    ["a misspelled nested setting", { waf: { ratelimit: 5 } }, 'prod.waf: Unrecognized key: "ratelimit"'],
    ["a Region that is not one", { region: "us-east" }, "prod.region: must be an AWS Region"],
    ["a domain with a scheme", { domain: "https://developer.example.com" }, "prod.domain: "],
    [
      "a certificate outside us-east-1",
      { domain: { name: "a.example.com", cert: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } },
      "prod.domain.cert: must be an ACM certificate ARN in us-east-1",
    ],
    [
      "a topic that is not an SNS ARN",
      { marketplace: { topicArns: ["aws-mp-subscription-notification-abc"] } },
      "prod.marketplace.topicArns.0: must be an SNS topic ARN",
    ],
    [
      "Marketplace on a stage outside us-east-1",
      { region: "eu-west-1", marketplace: { topicArns: [TOPIC] } },
      "prod.region: AWS Marketplace notifies in us-east-1 only",
    ],
    [
      "a Marketplace topic outside us-east-1",
      { marketplace: { topicArns: [TOPIC.replace("us-east-1", "eu-west-1")] } },
      "prod.marketplace.topicArns.0: AWS Marketplace topics are in us-east-1",
    ],
    ["passkeys with required MFA", { auth: { mfa: "required" } }, 'prod.auth.passkeys: passkeys cannot be combined with auth.mfa "required"'],
    ["a short password policy", { auth: { passwordMinLength: 6 } }, "prod.auth.passwordMinLength: "],
    [
      "a reserved word in the login prefix",
      { auth: { domainPrefix: "my-cognito-portal" } },
      'prod.auth.domainPrefix: must not contain "aws", "amazon" or "cognito"',
    ],
    ["an SES sender without an identity", { auth: { email: { from: "no-reply@example.com" } } }, "prod.auth.email.sesIdentityArn: "],
    ["a rate below WAF's minimum", { waf: { rateLimit: 5 } }, "prod.waf.rateLimit: "],
    ["a window WAF does not offer", { waf: { rateWindowSeconds: 30 } }, "prod.waf.rateWindowSeconds: "],
    ["a plural unit for 1", { jobs: { keySweeper: "rate(1 minutes)" } }, 'prod.jobs.keySweeper: must be "rate(<n> minutes|hours|days)"'],
    ["a singular unit for 5", { jobs: { reconciler: "rate(5 hour)" } }, "prod.jobs.reconciler: "],
    ["a cron with five fields", { jobs: { reconciler: "cron(0 3 * * *)" } }, "prod.jobs.reconciler: "],
    ["a control-plane share above the account's 10 requests/s", { limits: { controlPlane: { share: 20 } } }, "prod.limits.controlPlane.share: Too big"],
    ["a control-plane share of nothing", { limits: { controlPlane: { share: 0 } } }, "prod.limits.controlPlane.share: Too small"],
    ["a burst above the account's 40", { limits: { controlPlane: { burst: 50 } } }, "prod.limits.controlPlane.burst: Too big"],
    ["a person's wait longer than 25 s", { limits: { controlPlane: { waitSeconds: 30 } } }, "prod.limits.controlPlane.waitSeconds: Too big"],
    ["an unknown pacing", { limits: { controlPlane: { pacing: "global" } } }, "prod.limits.controlPlane.pacing: "],
    [
      "a misspelled portal action",
      { limits: { portal: { signin: { perIp: { requests: 5, seconds: 60 } } } } },
      'prod.limits.portal: Unrecognized key: "signin"',
    ],
    [
      "a per-person limit on sign-in starts (nobody is signed in yet)",
      { limits: { portal: { signIn: { perUser: { requests: 5, seconds: 60 } } } } },
      "prod.limits.portal.signIn.perUser: this action has no per-user limit",
    ],
    [
      "a limit of no requests",
      { limits: { portal: { tryIt: { perIp: { requests: 0, seconds: 60 } } } } },
      "prod.limits.portal.tryIt.perIp.requests: Too small",
    ],
  ])("names the setting on %s", (_case, input, expected) => {
    const found = problems(input);
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.some((p) => p.startsWith(expected)),
      `${JSON.stringify(found)} has no "${expected}…"`,
    ).toBe(true);
  });

  it("accepts the schedule forms EventBridge Scheduler does", () => {
    for (const schedule of ["rate(1 minute)", "rate(10 minutes)", "rate(1 day)", "rate(12 hours)", "cron(0 3 * * ? *)"]) {
      expect(problems({ jobs: { reconciler: schedule } }), schedule).toEqual([]);
    }
  });

  it("lists every problem at once, in a message that says where to fix them", () => {
    expect(() => settingsFor("prod", { prod: { region: "nowhere", waf: { rateLimit: 1 } } })).toThrow(
      /infra\/stages\.ts[\s\S]*prod\.region[\s\S]*prod\.waf\.rateLimit/,
    );
  });

  it("rejects stage names that cannot become resource names", () => {
    expect(problems({}, "Prod_1")[0]).toMatch(/^stage "Prod_1": /);
  });

  it("lets app() go on with safe values so that run() can report the problems", () => {
    expect(appSettings("prod", { prod: { region: "eu-west-1" } })).toEqual({ region: "eu-west-1", retainData: true });
    expect(appSettings("dev", { dev: { region: "nowhere" } })).toEqual({ region: "us-east-1", retainData: true });
  });
});
