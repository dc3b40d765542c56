import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  DeleteSuppressedDestinationCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetSuppressedDestinationCommand,
  ListSuppressedDestinationsCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
  SESv2Client,
  type SendEmailCommandInput,
} from "@aws-sdk/client-sesv2";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox } from "@/local/sandbox";
import { awsCli, sdkConfig, startTestSandbox } from "./harness";

interface Message {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
  configurationSet?: string;
  tags: { name: string; value: string }[];
  outcomes: Record<string, string>;
}
interface SesRecord {
  eventType: string;
  mail: { messageId: string; destination: string[]; tags: Record<string, string[]>; commonHeaders: { subject: string } };
  bounce?: { bounceType: string; bounceSubType: string; bouncedRecipients: { emailAddress: string; status: string }[] };
  complaint?: { complainedRecipients: { emailAddress: string }[]; complaintFeedbackType: string };
  delivery?: { recipients: string[] };
}

const simple = (overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput => ({
  FromEmailAddress: "Portico <noreply@portico.example>",
  Destination: { ToAddresses: ["dev@example.com"] },
  Content: { Simple: { Subject: { Data: "Your quota" }, Body: { Text: { Data: "80 % used" }, Html: { Data: "<p>80 % used</p>" } } } },
  ...overrides,
});

describe("sandbox SES v2 (REST-JSON): SendEmail, the mailbox, the suppression list, events", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ses: SESv2Client;
  const messages = async (to?: string): Promise<Message[]> => {
    const response = await fetch(`${sandbox.url}/_sandbox/ses/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { messages: Message[] }).messages;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    ses = new SESv2Client(sdkConfig(sandbox));
  });
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/ses/messages`, { method: "DELETE" });
  });

  it("sends a simple email with custom headers, and the mailbox shows exactly what was sent", async () => {
    const { MessageId } = await ses.send(
      new SendEmailCommand(
        simple({
          Destination: { ToAddresses: ["Dev One <dev@example.com>"], CcAddresses: ["cc@example.com"], BccAddresses: ["bcc@example.com"] },
          Content: {
            Simple: {
              Subject: { Data: "Quota at 80 %", Charset: "UTF-8" },
              Body: { Text: { Data: "You used 80 % of Gold." }, Html: { Data: "<h1>80 %</h1>" } },
              Headers: [
                { Name: "List-Unsubscribe", Value: "<https://portal.example/unsubscribe?t=abc>" },
                { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
              ],
            },
          },
          EmailTags: [{ Name: "category", Value: "quota" }],
        }),
      ),
    );
    expect(MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    const [message, ...others] = await messages();
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      messageId: MessageId,
      from: "Portico <noreply@portico.example>",
      to: ["Dev One <dev@example.com>"],
      cc: ["cc@example.com"],
      bcc: ["bcc@example.com"],
      subject: "Quota at 80 %",
      text: "You used 80 % of Gold.",
      html: "<h1>80 %</h1>",
      tags: [{ name: "category", value: "quota" }],
      outcomes: { "dev@example.com": "delivered", "cc@example.com": "delivered", "bcc@example.com": "delivered" },
    });
    const header = (name: string) => message!.headers.filter((h) => h.name === name).map((h) => h.value);
    expect(header("List-Unsubscribe")).toEqual(["<https://portal.example/unsubscribe?t=abc>"]);
    expect(header("List-Unsubscribe-Post")).toEqual(["List-Unsubscribe=One-Click"]);
    expect(header("To")).toEqual(["Dev One <dev@example.com>"]);
    expect(header("Bcc")).toEqual([]); // Bcc recipients never show in the headers
    expect(header("Message-ID")).toEqual([`<${MessageId}@email.amazonses.com>`]);

    // The filter matches any recipient, by address, case-insensitively; newest first.
    await ses.send(new SendEmailCommand(simple({ Destination: { ToAddresses: ["other@example.com"] } })));
    expect((await messages("BCC@example.com")).map((m) => m.messageId)).toEqual([MessageId]);
    expect((await messages()).map((m) => m.to[0])).toEqual(["other@example.com", "Dev One <dev@example.com>"]);
  });

  it("answers bad input as SES does: a BadRequestException with its message, and X-Amzn-ErrorType", async () => {
    const cases: Array<[SendEmailCommandInput, string, string]> = [
      [simple({ FromEmailAddress: undefined }), "BadRequestException", "Missing required header 'From'."],
      [simple({ Destination: {} }), "BadRequestException", "Missing required header 'To'."],
      [simple({ Destination: undefined }), "BadRequestException", "Missing required header 'To'."],
      [simple({ Destination: { ToAddresses: ["not-an-address"] } }), "BadRequestException", "Missing final '@domain'"],
      [simple({ Destination: { ToAddresses: ["dev@"] } }), "BadRequestException", "Missing domain"],
      [simple({ Destination: { ToAddresses: ["dev one@example.com"] } }), "BadRequestException", "Local address contains control or whitespace"],
      [simple({ FromEmailAddress: "noreply@exa mple.com" }), "BadRequestException", "Domain contains illegal character"],
      [simple({ Content: { Simple: { Subject: { Data: "x" }, Body: {} } } }), "MessageRejected", "Email body is empty."],
      [simple({ ConfigurationSetName: "missing" }), "NotFoundException", "Configuration set missing does not exist."],
    ];
    for (const [input, name, message] of cases) {
      await expect(ses.send(new SendEmailCommand(input)), message).rejects.toMatchObject({ name, message });
    }
    await expect(
      ses.send(
        new SendEmailCommand(
          simple({ Content: { Simple: { Subject: { Data: "x" }, Body: { Text: { Data: "t" } }, Headers: [{ Name: "From", Value: "x@y.z" }] } } }),
        ),
      ),
    ).rejects.toMatchObject({ name: "BadRequestException" });
    expect(await messages()).toEqual([]);

    const raw = await fetch(`${sandbox.url}/v2/email/outbound-emails`, { method: "POST", body: JSON.stringify(simple({ FromEmailAddress: "nobody" })) });
    expect(raw.status).toBe(400);
    expect(raw.headers.get("x-amzn-errortype")).toBe("BadRequestException");
    expect(await raw.json()).toEqual({ message: "Missing final '@domain'" });
  });

  it("says plainly that raw MIME content isn't emulated (no MIME parser is installed)", async () => {
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: "a@example.com",
          Destination: { ToAddresses: ["b@example.com"] },
          Content: { Raw: { Data: Buffer.from("Subject: x\r\n\r\nhi") } },
        }),
      ),
    ).rejects.toMatchObject({ name: "BadRequestException", message: expect.stringContaining("Content.Simple only") });
  });

  it("round-trips the account's suppression list, and mail to a suppressed address bounces instead of arriving", async () => {
    await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "Gone@Example.com", Reason: "BOUNCE" }));
    await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "angry@example.com", Reason: "COMPLAINT" }));
    const { SuppressedDestination } = await ses.send(new GetSuppressedDestinationCommand({ EmailAddress: "gone@example.com" }));
    expect(SuppressedDestination).toMatchObject({ EmailAddress: "gone@example.com", Reason: "BOUNCE" });
    expect(SuppressedDestination!.LastUpdateTime).toBeInstanceOf(Date);
    const bounces = await ses.send(new ListSuppressedDestinationsCommand({ Reasons: ["BOUNCE"] }));
    expect(bounces.SuppressedDestinationSummaries!.map((s) => s.EmailAddress)).toEqual(["gone@example.com"]);
    const all = await ses.send(new ListSuppressedDestinationsCommand({ PageSize: 1 }));
    expect(all.SuppressedDestinationSummaries).toHaveLength(1);
    const next = await ses.send(new ListSuppressedDestinationsCommand({ PageSize: 1, NextToken: all.NextToken }));
    expect([...all.SuppressedDestinationSummaries!, ...next.SuppressedDestinationSummaries!].map((s) => s.EmailAddress)).toEqual([
      "angry@example.com",
      "gone@example.com",
    ]);
    await expect(ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "x@example.com", Reason: "OTHER" as "BOUNCE" }))).rejects.toMatchObject({
      name: "BadRequestException",
    });

    // SES still accepts the send, then reports a bounce for the suppressed recipient and delivers to the rest.
    const { MessageId } = await ses.send(new SendEmailCommand(simple({ Destination: { ToAddresses: ["gone@example.com", "ok@example.com"] } })));
    expect((await messages())[0]).toMatchObject({ messageId: MessageId, outcomes: { "gone@example.com": "suppressed", "ok@example.com": "delivered" } });
    const events = (await (await fetch(`${sandbox.url}/_sandbox/ses/events?type=Bounce`)).json()) as { events: { record: SesRecord }[] };
    expect(events.events[0]!.record.bounce).toMatchObject({
      bounceSubType: "OnAccountSuppressionList",
      bouncedRecipients: [{ emailAddress: "gone@example.com" }],
    });

    await ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: "gone@example.com" }));
    await expect(ses.send(new GetSuppressedDestinationCommand({ EmailAddress: "gone@example.com" }))).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: "gone@example.com" }))).rejects.toMatchObject({ name: "NotFoundException" });
  });

  it("publishes the mailbox simulator's bounce and complaint as SES events to the configuration set's SNS topic", async () => {
    // An http subscriber stands in for whatever the portal subscribes (a function in AWS).
    const received: SesRecord[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(JSON.parse((JSON.parse(body) as { Message: string }).Message) as SesRecord);
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const sns = new SNSClient(sdkConfig(sandbox));
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "ses-events" }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` }));
      await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "portico" }));
      await ses.send(
        new CreateConfigurationSetEventDestinationCommand({
          ConfigurationSetName: "portico",
          EventDestinationName: "feedback",
          EventDestination: { Enabled: true, MatchingEventTypes: ["BOUNCE", "COMPLAINT"], SnsDestination: { TopicArn } },
        }),
      );
      const { EventDestinations } = await ses.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: "portico" }));
      expect(EventDestinations).toEqual([{ Name: "feedback", Enabled: true, MatchingEventTypes: ["BOUNCE", "COMPLAINT"], SnsDestination: { TopicArn } }]);

      const bounce = await ses.send(
        new SendEmailCommand(
          simple({
            Destination: { ToAddresses: ["bounce+key1@simulator.amazonses.com"] },
            ConfigurationSetName: "portico",
            EmailTags: [{ Name: "type", Value: "quota_threshold" }],
          }),
        ),
      );
      const complaint = await ses.send(
        new SendEmailCommand(simple({ Destination: { ToAddresses: ["complaint@simulator.amazonses.com"] }, ConfigurationSetName: "portico" })),
      );
      // Without the configuration set, events are recorded but published nowhere.
      await ses.send(new SendEmailCommand(simple({ Destination: { ToAddresses: ["bounce@simulator.amazonses.com"] } })));
      const deliveries = (await (await fetch(`${sandbox.url}/_sandbox/sns/drain`, { method: "POST" })).json()) as { deliveries: { ok: boolean }[] };
      expect(deliveries.deliveries.map((d) => d.ok)).toEqual([true, true]);

      const byType = Object.fromEntries(received.map((r) => [r.eventType, r]));
      expect(Object.keys(byType).sort()).toEqual(["Bounce", "Complaint"]);
      expect(byType.Bounce).toMatchObject({
        mail: {
          messageId: bounce.MessageId,
          destination: ["bounce+key1@simulator.amazonses.com"],
          tags: { "ses:configuration-set": ["portico"], type: ["quota_threshold"] },
          commonHeaders: { subject: "Your quota" },
        },
        bounce: {
          bounceType: "Permanent",
          bounceSubType: "General",
          bouncedRecipients: [{ emailAddress: "bounce+key1@simulator.amazonses.com", status: "5.1.1" }],
        },
      });
      expect(byType.Complaint).toMatchObject({
        mail: { messageId: complaint.MessageId },
        complaint: { complainedRecipients: [{ emailAddress: "complaint@simulator.amazonses.com" }], complaintFeedbackType: "abuse" },
      });

      const stored = (await (await fetch(`${sandbox.url}/_sandbox/ses/events`)).json()) as { events: { eventType: string; publishedTo: string[] }[] };
      expect(stored.events.map((e) => `${e.eventType}:${e.publishedTo.length}`)).toEqual([
        "Bounce:0",
        "Send:0",
        "Complaint:1",
        "Delivery:0",
        "Send:0",
        "Bounce:1",
        "Send:0",
      ]);
      expect((await messages()).map((m) => Object.values(m.outcomes)[0])).toEqual(["bounced", "complained", "bounced"]);
    } finally {
      receiver.close();
    }
  });

  it("escapes hostile subjects, addresses and bodies on the mailbox page and sandboxes the HTML part", async () => {
    await ses.send(
      new SendEmailCommand(
        simple({
          FromEmailAddress: '"<img src=x onerror=alert(1)>" <evil@example.com>',
          Content: {
            Simple: {
              Subject: { Data: "<script>alert('subject')</script>" },
              Body: { Text: { Data: "</pre><script>alert('text')</script>" }, Html: { Data: `<p>hi</p>"><script>alert('html')</script>` } },
              Headers: [{ Name: "List-Unsubscribe", Value: "<https://portal.example/u?a=1&b=<2>>" }],
            },
          },
        }),
      ),
    );
    const response = await fetch(`${sandbox.url}/_sandbox/ses/mailbox`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain("&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt;");
    expect(page).toContain("&lt;/pre&gt;&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;");
    // The HTML part only ever appears escaped inside srcdoc, in a frame that may open links in a new tab and nothing more (no scripts, forms or same origin).
    expect(page).toContain(`<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"`);
    expect(page).toContain('srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;p&gt;hi&lt;/p&gt;&quot;&gt;&lt;script&gt;');
    expect(page).toContain("&lt;https://portal.example/u?a=1&amp;b=&lt;2&gt;&gt;");
    expect(page).toContain('<html lang="en">');

    const filtered = await (await fetch(`${sandbox.url}/_sandbox/ses/mailbox?to=${encodeURIComponent('"><script>')}`)).text();
    expect(filtered).not.toMatch(/<script/i);
    expect(filtered).toContain("No messages to &quot;&gt;&lt;script&gt; yet.");
  });

  it("works with the AWS CLI unchanged (sesv2 send-email, suppression list, errors by name)", async () => {
    const aws = awsCli(sandbox, { attempts: 1 });
    const content = JSON.stringify({
      Simple: {
        Subject: { Data: "From the CLI" },
        Body: { Text: { Data: "plain" } },
        Headers: [{ Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" }],
      },
    });
    const sent = await aws(
      "sesv2",
      "send-email",
      "--from-email-address",
      "cli@example.com",
      "--destination",
      "ToAddresses=cli-to@example.com",
      "--content",
      content,
    );
    expect(sent.MessageId).toMatch(/-000000$/);
    const [message] = await messages("cli-to@example.com");
    expect(message).toMatchObject({ messageId: sent.MessageId, subject: "From the CLI", text: "plain", from: "cli@example.com" });
    expect(message!.headers).toContainEqual({ name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" });
    expect(message!.html).toBeUndefined();

    await aws("sesv2", "put-suppressed-destination", "--email-address", "cli-bad@example.com", "--reason", "COMPLAINT");
    const got = await aws("sesv2", "get-suppressed-destination", "--email-address", "cli-bad@example.com");
    expect(got.SuppressedDestination).toMatchObject({ EmailAddress: "cli-bad@example.com", Reason: "COMPLAINT" });
    const listed = await aws("sesv2", "list-suppressed-destinations", "--reasons", "COMPLAINT");
    expect(listed.SuppressedDestinationSummaries.map((s: { EmailAddress: string }) => s.EmailAddress)).toContain("cli-bad@example.com");
    await aws("sesv2", "delete-suppressed-destination", "--email-address", "cli-bad@example.com");

    await expect(
      aws("sesv2", "send-email", "--from-email-address", "cli@example.com", "--destination", "ToAddresses=nobody", "--content", content),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/BadRequestException.*Missing final '@domain'/) });
  });
});

describe("sandbox SES state", () => {
  it("keeps the mailbox, the suppression list and configuration sets across a restart", async () => {
    const first = await startTestSandbox();
    try {
      const ses = new SESv2Client(sdkConfig(first));
      const { MessageId } = await ses.send(new SendEmailCommand(simple()));
      await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "kept@example.com", Reason: "BOUNCE" }));
      await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "kept" }));
      await first.close();
      const second = await startSandbox({ port: 0, stateDir: first.context.stateDir, quiet: true, root: first.context.root });
      try {
        const again = new SESv2Client(sdkConfig(second));
        const { messages } = (await (await fetch(`${second.url}/_sandbox/ses/messages`)).json()) as { messages: Message[] };
        expect(messages.map((m) => m.messageId)).toEqual([MessageId]);
        expect((await again.send(new GetSuppressedDestinationCommand({ EmailAddress: "kept@example.com" }))).SuppressedDestination?.Reason).toBe("BOUNCE");
        await expect(again.send(new CreateConfigurationSetCommand({ ConfigurationSetName: "kept" }))).rejects.toMatchObject({ name: "AlreadyExistsException" });
      } finally {
        await second.close();
      }
    } finally {
      await first.stop();
    }
  });
});
