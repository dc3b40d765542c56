import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { startTestSandbox } from "../sandbox/harness";

interface Message {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
  configurationSet?: string;
  tags: { name: string; value: string }[];
}

describe("lib/ses sends through SES v2 (the sandbox's) and says what a failure means", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let lib: typeof import("@/lib/ses");
  const mailbox = async (to: string): Promise<Message[]> =>
    ((await (await fetch(`${sandbox.url}/_sandbox/ses/messages?to=${encodeURIComponent(to)}`)).json()) as { messages: Message[] }).messages;
  const email = { from: "Portico <noreply@portico.example>", to: "dev@example.com", subject: "Quota at 80 %", html: "<p>80 %</p>", text: "80 %" };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // Configuration only, as for every other lib/ client (tests/lib/aws-clients.test.ts).
    process.env.AWS_ENDPOINT_URL = sandbox.url;
    process.env.AWS_REGION = SANDBOX_REGION;
    process.env.AWS_ACCESS_KEY_ID = SANDBOX_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_CREDENTIALS.secretAccessKey;
    lib = await import("@/lib/ses");
    await fetch(`${sandbox.url}/v2/email/configuration-sets`, { method: "POST", body: JSON.stringify({ ConfigurationSetName: "portico" }) });
  });
  afterAll(() => sandbox.stop());

  it("sends the text and HTML parts, the unsubscribe headers, the configuration set and the tags", async () => {
    const { messageId } = await lib.sendEmail({
      ...email,
      headers: { "List-Unsubscribe": "<https://portal.example/unsubscribe?t=abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      configurationSet: "portico",
      tags: { category: "quota", type: "quota_threshold" },
    });
    const [message, ...rest] = await mailbox("dev@example.com");
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      messageId,
      from: "Portico <noreply@portico.example>",
      to: ["dev@example.com"],
      subject: "Quota at 80 %",
      html: "<p>80 %</p>",
      text: "80 %",
      configurationSet: "portico",
      tags: [
        { name: "category", value: "quota" },
        { name: "type", value: "quota_threshold" },
      ],
    });
    expect(message!.headers).toEqual(
      expect.arrayContaining([
        { name: "List-Unsubscribe", value: "<https://portal.example/unsubscribe?t=abc>" },
        { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
      ]),
    );
  });

  it("refuses an undeliverable message as `unprocessable` (don't retry), with SES's reason", async () => {
    const refused = await lib.sendEmail({ ...email, to: "not-an-address" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: "unprocessable",
      message: "SES refused this email: Missing final '@domain'",
      cause: { name: "BadRequestException" },
    });
    // Input SES would refuse is caught before the call.
    await expect(lib.sendEmail({ ...email, subject: "two\nlines" })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(lib.sendEmail({ ...email, headers: { "Bad:Name": "x" } })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(lib.sendEmail({ ...email, tags: { category: "quota.threshold" } })).rejects.toMatchObject({ code: "unprocessable" });
  });

  it("reports throttling, SES errors and a missing configuration set as `unavailable`, with when to retry", async () => {
    sandbox.faults.set("ses", { throttleRate: 1 });
    try {
      const throttled = await lib.sendEmail(email).catch((e: unknown) => e);
      expect(throttled).toMatchObject({ code: "unavailable", retryAfterSeconds: 5, cause: { name: "TooManyRequestsException" } });
    } finally {
      sandbox.faults.clear();
    }
    sandbox.faults.set("ses", { errorRate: 1 });
    try {
      await expect(lib.sendEmail(email)).rejects.toMatchObject({ code: "unavailable", cause: { name: "InternalServiceErrorException" } });
    } finally {
      sandbox.faults.clear();
    }
    await expect(lib.sendEmail({ ...email, configurationSet: "missing" })).rejects.toMatchObject({
      code: "unavailable",
      message: "SES doesn't know the configuration set this portal names.",
      cause: { name: "NotFoundException" },
    });
  });

  it("maps SES exceptions it has not met here by name", () => {
    const named = (name: string) => Object.assign(new Error("x"), { name });
    expect(lib.toEmailError(named("MessageRejected")).code).toBe("unprocessable");
    expect(lib.toEmailError(named("SendingPausedException"))).toMatchObject({ code: "unavailable", retryAfterSeconds: 300 });
    expect(lib.toEmailError(named("LimitExceededException"))).toMatchObject({ code: "unavailable", retryAfterSeconds: 3600 });
    expect(lib.toEmailError(named("AccountSuspendedException")).code).toBe("unavailable");
  });
});
