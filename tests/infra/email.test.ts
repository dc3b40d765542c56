import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sesFeedbackStatements } from "@/infra/lib/iam";
import { settingsFor } from "@/infra/lib/settings";
import { FEEDBACK_DESTINATION, FEEDBACK_TOPIC, SANDBOX_CONFIGURATION_SET } from "@/local/ses/wiring";
import { root } from "./sdk-calls";

const scope = { partition: "aws", region: "eu-west-1" };
const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/portico-prod-TableTable-abc";
const topicArn = "arn:aws:sns:eu-west-1:123456789012:portico-prod-EmailFeedbackTopic-abc";

/** A resolved Pulumi output, as far as infra/ uses one. */
const output = <T>(value: T) => ({ value, apply: <R>(fn: (v: T) => R) => fn(value) });
const unwrap = (x: unknown): unknown =>
  x && typeof x === "object" && "apply" in x
    ? (x as ReturnType<typeof output>).value
    : Array.isArray(x)
      ? x.map(unwrap)
      : x && typeof x === "object"
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unwrap(v)]))
        : x;

/** What infra/email.ts creates for `settings`, with SST's and Pulumi's globals stubbed. */
async function deployed(settings: ReturnType<typeof settingsFor>) {
  const created: Array<{ kind: string; name: string; args: Record<string, unknown> }> = [];
  const subscriptions: Array<{ name: string; subscriber: unknown }> = [];
  const resource = (kind: string, extra: (args: Record<string, unknown>) => Record<string, unknown> = () => ({})) =>
    class {
      constructor(name: string, args: Record<string, unknown>) {
        created.push({ kind, name, args: unwrap(args) as Record<string, unknown> });
        Object.assign(this, extra(args));
      }
    };
  vi.stubGlobal("$app", { name: "portico", stage: "prod" });
  vi.stubGlobal("$resolve", (x: unknown) => output(unwrap(x)));
  vi.stubGlobal("aws", {
    sesv2: {
      ConfigurationSet: resource("ConfigurationSet", (args) => ({
        configurationSetName: output(args.configurationSetName),
        arn: output(`arn:aws:ses:eu-west-1:123456789012:configuration-set/${String(args.configurationSetName)}`),
      })),
      EmailIdentity: resource("EmailIdentity", (args) => ({
        arn: output(`arn:aws:ses:eu-west-1:123456789012:identity/${String(args.emailIdentity)}`),
        dkimSigningAttributes: output({ tokens: ["t1", "t2", "t3"] }),
      })),
      ConfigurationSetEventDestination: resource("ConfigurationSetEventDestination"),
    },
  });
  vi.stubGlobal("sst", {
    aws: {
      SnsTopic: class {
        arn = output(topicArn);
        constructor(name: string) {
          created.push({ kind: "SnsTopic", name, args: {} });
        }
        subscribe(name: string, subscriber: unknown) {
          subscriptions.push({ name, subscriber: unwrap(subscriber) });
        }
      },
      Function: resource("Function", () => ({ arn: output("arn:aws:lambda:eu-west-1:123456789012:function:portico-prod-SesFeedback") })),
    },
  });
  const storage = { table: { name: output("portico-prod-table"), arn: output(tableArn) } };
  // By path: infra/*.ts is compiled against SST's platform types (tsconfig.infra.json), not the app's.
  const { createEmail } = (await import(path.join(root, "infra/email.ts"))) as { createEmail: (settings: unknown, resources: unknown) => unknown };
  const email = createEmail(settings, { storage, scope });
  return { created, subscriptions, email: unwrap(email) as Record<string, unknown> | undefined };
}

describe("email in AWS (infra/email.ts)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("creates nothing without the stage's email setting", async () => {
    const { created, subscriptions, email } = await deployed(settingsFor("prod", {}));
    expect(created).toEqual([]);
    expect(subscriptions).toEqual([]);
    expect(email).toBeUndefined();
  });

  it("sets up the domain with DKIM, a configuration set that suppresses and reports bounces and complaints, and the listener", async () => {
    const { created, subscriptions, email } = await deployed(
      settingsFor("prod", { prod: { email: { from: "notifications@mail.example.com", domain: "example.com" } } }),
    );
    const byKind = (kind: string) => created.filter((c) => c.kind === kind);
    expect(byKind("ConfigurationSet")).toEqual([
      {
        kind: "ConfigurationSet",
        name: "EmailConfigurationSet",
        args: { configurationSetName: "portico-prod-notices", suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] } },
      },
    ]);
    expect(byKind("EmailIdentity")).toEqual([
      {
        kind: "EmailIdentity",
        name: "EmailIdentity",
        args: { emailIdentity: "example.com", configurationSetName: "portico-prod-notices", dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" } },
      },
    ]);
    expect(byKind("ConfigurationSetEventDestination")).toEqual([
      {
        kind: "ConfigurationSetEventDestination",
        name: "EmailFeedbackDestination",
        args: {
          configurationSetName: "portico-prod-notices",
          eventDestinationName: "bounces-and-complaints",
          eventDestination: { enabled: true, matchingEventTypes: ["BOUNCE", "COMPLAINT"], snsDestination: { topicArn } },
        },
      },
    ]);
    expect(byKind("SnsTopic").map((c) => c.name)).toEqual(["EmailFeedback"]);
    expect(byKind("Function")).toEqual([
      {
        kind: "Function",
        name: "SesFeedback",
        args: {
          runtime: "nodejs24.x",
          handler: "functions/ses-feedback.handler",
          description: "SES bounce and complaint events: stops the portal's mail to those addresses",
          timeout: "30 seconds",
          environment: { PORTICO_TABLE: "portico-prod-table", SES_FEEDBACK_TOPIC_ARN: topicArn },
          permissions: sesFeedbackStatements({ scope, tableArn }),
        },
      },
    ]);
    expect(subscriptions).toEqual([{ name: "SesFeedback", subscriber: "arn:aws:lambda:eu-west-1:123456789012:function:portico-prod-SesFeedback" }]);
    expect(email).toEqual({
      from: "notifications@mail.example.com",
      configurationSetName: "portico-prod-notices",
      configurationSetArn: "arn:aws:ses:eu-west-1:123456789012:configuration-set/portico-prod-notices",
      identityArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
      dkimRecords: ["t1", "t2", "t3"].map((t) => `${t}._domainkey.example.com CNAME ${t}.dkim.amazonses.com`),
    });
  });

  it("is what the sandbox sets up locally (local/ses/wiring.ts)", () => {
    expect(SANDBOX_CONFIGURATION_SET).toBe("portico-notices");
    expect(FEEDBACK_DESTINATION).toBe("bounces-and-complaints");
    expect(FEEDBACK_TOPIC).toMatch(/^[\w-]+$/);
  });
});
