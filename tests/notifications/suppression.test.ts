import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FEEDBACK_FUNCTION, FEEDBACK_TOPIC, SANDBOX_CONFIGURATION_SET } from "@/local/ses/wiring";
import { registerUser, startAccessSandbox } from "../access/setup";
import { snsLambdaEvent, startSnsSigning } from "../marketplace/stream";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * Bounces and complaints end to end against the sandbox: the notifier mails a simulator address
 * through the configuration set, SES publishes the event to SNS, SNS runs functions/ses-feedback.ts,
 * which suppresses the address; the next notice's email is then skipped, saying why. Messages the
 * sandbox can't produce (a transient bounce, a redelivery, a forgery) are signed here with a
 * certificate this process serves, the way tests/marketplace signs Marketplace notifications.
 */

type Env = Awaited<ReturnType<typeof startAccessSandbox>>;
type Suppression = typeof import("@/lib/notifications/suppression");
type Handler = (typeof import("@/functions/ses-feedback"))["handler"];

describe("bounces and complaints", () => {
  let env: Env;
  let suppression: Suppression;
  let handler: Handler;
  let runNotifier: typeof import("@/lib/notifications/notifier").runNotifier;
  let notifications: typeof import("@/lib/notifications");
  let listAudit: typeof import("@/lib/audit").listAudit;
  let topicArn: string;
  let signing: Awaited<ReturnType<typeof startSnsSigning>>;

  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv, { PORTICO_EMAIL_FROM: "notices@portico.example", PORTICO_SES_CONFIGURATION_SET: SANDBOX_CONFIGURATION_SET });
    suppression = await import("@/lib/notifications/suppression");
    handler = (await import("@/functions/ses-feedback")).handler;
    ({ runNotifier } = await import("@/lib/notifications/notifier"));
    notifications = await import("@/lib/notifications");
    ({ listAudit } = await import("@/lib/audit"));
    topicArn = `arn:aws:sns:${env.sandbox.context.region}:${env.sandbox.context.accountId}:${FEEDBACK_TOPIC}`;
    signing = await startSnsSigning();
  });
  afterAll(async () => {
    await signing?.close();
    await env?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A registered developer whose profile address is `email` (registerUser gives everyone an example.com one). */
  async function developer(label: string, email: string) {
    const user = await registerUser(env, label);
    const { updateProfile } = await import("@/lib/db/profiles");
    expect(await updateProfile(user.id, { email })).toBe(true);
    return { id: user.id, email };
  }

  const drain = async () =>
    ((await (await fetch(`${env.sandbox.url}/_sandbox/sns/drain`, { method: "POST" })).json()) as { deliveries: { subscriptionArn: string; ok: boolean }[] })
      .deliveries;

  const sesEvents = async (type: string) =>
    (
      (await (await fetch(`${env.sandbox.url}/_sandbox/ses/events?type=${type}`)).json()) as {
        events: { messageId: string; configurationSet?: string; publishedTo: string[] }[];
      }
    ).events;

  const emailDeliveries = async (userId: string) => (await notifications.listDeliveries(userId)).deliveries.filter((d) => d.channel === "email");

  const auditFor = async (email: string) => (await listAudit({ type: "email", limit: 1_000 })).entries.filter((e) => e.target === email);

  /** The SES event the listener gets, as SES's event publishing writes it. */
  function bounceEvent(email: string, bounceType: "Permanent" | "Transient", feedbackId = `0100-${randomUUID()}-000000`) {
    return {
      eventType: "Bounce",
      mail: { messageId: `0100-${randomUUID()}`, timestamp: new Date().toISOString(), destination: [email] },
      bounce: {
        feedbackId,
        bounceType,
        bounceSubType: bounceType === "Permanent" ? "General" : "MailboxFull",
        bouncedRecipients: [{ emailAddress: email, action: "failed", status: bounceType === "Permanent" ? "5.1.1" : "4.2.2" }],
        timestamp: new Date().toISOString(),
        reportingMTA: "dns; a.example.com",
      },
    };
  }

  /** An SNS delivery of `message` from the feedback topic, signed by this process's SNS (trusted while AWS_ENDPOINT_URL_SNS names it). */
  function signedDelivery(message: unknown, input: { messageId?: string; topicArn?: string } = {}) {
    process.env.AWS_ENDPOINT_URL_SNS = signing.origin;
    process.env.SES_FEEDBACK_TOPIC_ARN = topicArn;
    return snsLambdaEvent({
      messageId: input.messageId ?? randomUUID(),
      topicArn: input.topicArn ?? topicArn,
      message: JSON.stringify(message),
      timestamp: new Date().toISOString(),
      signatureVersion: "2",
    });
  }

  it.each([
    ["a permanent bounce", "bounce", "bounce", "Bounce"],
    ["a complaint", "complaint", "complaint", "Complaint"],
  ] as const)("stops mail to an address after %s reported through the configuration set", async (_, simulator, reason, eventType) => {
    const email = `${simulator}+${randomUUID().slice(0, 8)}@simulator.amazonses.com`;
    const user = await developer(simulator, email);
    await env.lib.createKey({ id: user.id, email }, "first");
    const report = await runNotifier();
    expect(report.sent).toBe(1);
    const [first] = await emailDeliveries(user.id);
    expect(first).toMatchObject({ state: "sent", destination: email });

    // SES published the event to the feedback topic (SendEmail awaited that); SNS then ran the listener.
    const published = (await sesEvents(eventType)).filter((e) => e.configurationSet === SANDBOX_CONFIGURATION_SET);
    expect(published.at(-1)?.publishedTo).toEqual([topicArn]);
    const deliveries = (await drain()).filter((d) => d.subscriptionArn.startsWith(`${topicArn}:`));
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.ok)).toBe(true);

    expect(await suppression.readSuppression(email)).toMatchObject({ email, reason, feedbackId: expect.stringMatching(/^0100/) as string });
    const audit = await auditFor(email);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ type: "email.suppressed", actor: { kind: "system", id: FEEDBACK_FUNCTION }, after: { reason } });

    // The next notice is not mailed: its delivery is logged as skipped, with the reason.
    await env.lib.createKey({ id: user.id, email }, "second");
    expect(await runNotifier()).toMatchObject({ sent: 0 });
    const log = await emailDeliveries(user.id);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ state: "skipped", attempts: 0, error: "Not sent: mail to this address bounced or was reported as spam." });
    const mailed = (await (await fetch(`${env.sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(email)}`)).json()) as { messages: unknown[] };
    expect(mailed.messages).toHaveLength(1);

    // Lifting it lets mail through again, audited.
    expect(await suppression.liftSuppression(email.toUpperCase())).toBe(true);
    expect(await suppression.readSuppression(email)).toBeUndefined();
    expect(await suppression.liftSuppression(email)).toBe(false);
    expect((await auditFor(email)).map((e) => e.type)).toEqual(["email.unsuppressed", "email.suppressed"]);
  });

  it("keeps mailing an address after a transient bounce", async () => {
    const email = `full-${randomUUID().slice(0, 8)}@example.org`;
    const result = await handler(signedDelivery(bounceEvent(email, "Transient")));
    expect(result.outcomes).toEqual([{ eventType: "Bounce", suppressed: 0, unchanged: 0, invalid: 0 }]);
    expect(await suppression.readSuppression(email)).toBeUndefined();
    expect(await auditFor(email)).toEqual([]);
    // Other event types the topic might carry change nothing either.
    expect(await suppression.applySesEvent({ eventType: "Delivery", mail: {}, delivery: { recipients: [email] } })).toMatchObject({ suppressed: 0 });
  });

  it("applies a redelivered message once, and a second report about the same address changes nothing", async () => {
    const email = `gone-${randomUUID().slice(0, 8)}@example.org`;
    const delivery = signedDelivery(bounceEvent(`"Gone" <${email.toUpperCase()}>`, "Permanent"));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    expect((await handler(delivery)).outcomes).toEqual([{ eventType: "Bounce", suppressed: 1, unchanged: 0, invalid: 0 }]);
    const row = await suppression.readSuppression(email);
    expect(row).toMatchObject({ email, reason: "bounce", detail: "Permanent/General" });
    // SNS delivers again (same MessageId), then the address draws a complaint too.
    expect((await handler(delivery)).outcomes).toEqual([{ eventType: "Bounce", suppressed: 0, unchanged: 1, invalid: 0 }]);
    const complaint = { eventType: "Complaint", mail: {}, complaint: { feedbackId: "0100-c", complainedRecipients: [{ emailAddress: email }] } };
    expect((await handler(signedDelivery(complaint))).outcomes).toEqual([{ eventType: "Complaint", suppressed: 0, unchanged: 1, invalid: 0 }]);
    expect(await suppression.readSuppression(email)).toEqual(row);
    expect(await auditFor(email)).toHaveLength(1);
    // Its log lines count; they never name an address.
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.some((l) => l.includes('"suppressed":1'))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/@/);
  });

  it("refuses forged, foreign and malformed messages", async () => {
    const email = `victim-${randomUUID().slice(0, 8)}@example.org`;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    // Someone else's address put into a genuinely signed message.
    const tampered = signedDelivery(bounceEvent(`other-${email}`, "Permanent"));
    tampered.Records[0]!.Sns.Message = JSON.stringify(bounceEvent(email, "Permanent"));
    // A genuine signature from another topic.
    const foreign = signedDelivery(bounceEvent(email, "Permanent"), { topicArn: `${topicArn}-other` });
    const outcomes = (await handler({ Records: [tampered.Records[0], foreign.Records[0], { Sns: { Type: "Notification" } }] })).outcomes;
    // Signed with a certificate from a host that isn't SNS (once this process's SNS isn't the configured endpoint).
    const elsewhere = signedDelivery(bounceEvent(email, "Permanent"));
    process.env.AWS_ENDPOINT_URL_SNS = env.sandbox.url;
    outcomes.push(...(await handler(elsewhere)).outcomes);
    expect(outcomes).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(await suppression.readSuppression(email)).toBeUndefined();
    expect(await suppression.readSuppression(`other-${email}`)).toBeUndefined();
    expect(warn.mock.calls.map((c) => String(c[0]).replace(/^\[ses-feedback\] rejected a message: /, ""))).toEqual([
      "signature does not verify",
      "topic is not the stage's SES feedback topic",
      expect.stringMatching(/^not an SNS record/) as string,
      "signing certificate is not an https .pem on an SNS host",
    ]);
    // A signed message that isn't an SES event.
    await expect(suppression.applySesEvent({ hello: "world" })).rejects.toBeInstanceOf(suppression.RejectedFeedback);
  });
});
