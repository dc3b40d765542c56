import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { snsSignatureProblem, type SignedSnsMessage } from "@/lib/marketplace/sns-signature";
import { startSandbox } from "@/local/sandbox";
import { sdkConfig, startTestSandbox } from "./harness";
import { behaviour, received } from "./fixtures/functions/record-events";

const FIXTURES_ROOT = path.resolve(import.meta.dirname, "fixtures");
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

interface SnsEvent {
  Records: { EventSource: string; EventVersion: string; EventSubscriptionArn: string; Sns: Record<string, unknown> }[];
}
interface DeliveryOutcome {
  messageId: string;
  subscriptionArn: string;
  attempts: number;
  ok: boolean;
  error?: string;
}

/** Events the fixture function received for one topic. */
const receivedOn = (topicArn: string) => (received as SnsEvent[]).filter((e) => e.Records[0]?.Sns.TopicArn === topicArn);

describe("sandbox SNS (Query protocol, lambda and http delivery)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let sns: SNSClient;
  const drain = async (): Promise<DeliveryOutcome[]> => {
    const response = await fetch(`${sandbox.url}/_sandbox/sns/drain`, { method: "POST" });
    expect(response.status).toBe(200);
    return ((await response.json()) as { deliveries: DeliveryOutcome[] }).deliveries;
  };
  const topic = async (name: string) => (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ root: FIXTURES_ROOT });
    sns = new SNSClient(sdkConfig(sandbox));
  });
  afterAll(() => sandbox.stop());
  afterEach(() => {
    behaviour.failuresLeft = 0;
    sandbox.faults.clear();
  });

  it("creates topics idempotently by name, lists and deletes them", async () => {
    const first = await topic("orders");
    expect(first).toBe("arn:aws:sns:us-east-1:000000000000:orders");
    expect(await topic("orders")).toBe(first);
    const listed = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
    expect(listed?.filter((arn) => arn === first)).toHaveLength(1);

    await sns.send(new DeleteTopicCommand({ TopicArn: first }));
    expect((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn)).not.toContain(first);
    // Deleting a topic that no longer exists is not an error on AWS either.
    await expect(sns.send(new DeleteTopicCommand({ TopicArn: first }))).resolves.toBeDefined();
    await expect(sns.send(new CreateTopicCommand({ Name: "bad name!" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
  });

  it("subscribes lambda and http endpoints idempotently, lists and unsubscribes them", async () => {
    const topicArn = await topic("subscriptions");
    const lambda = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    expect(lambda.SubscriptionArn).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    expect(again.SubscriptionArn).toBe(lambda.SubscriptionArn);
    const http = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: "http://127.0.0.1:9/hook" }));

    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions).toEqual(
      expect.arrayContaining([
        { SubscriptionArn: lambda.SubscriptionArn, Owner: "000000000000", Protocol: "lambda", Endpoint: functionArn("record-events"), TopicArn: topicArn },
        { SubscriptionArn: http.SubscriptionArn, Owner: "000000000000", Protocol: "http", Endpoint: "http://127.0.0.1:9/hook", TopicArn: topicArn },
      ]),
    );
    expect(Subscriptions).toHaveLength(2);

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: http.SubscriptionArn }));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toHaveLength(1);
    await expect(sns.send(new UnsubscribeCommand({ SubscriptionArn: http.SubscriptionArn }))).rejects.toMatchObject({ name: "NotFoundException" });
  });

  it("rejects unsupported protocols, bad endpoints and unknown topics", async () => {
    const topicArn = await topic("validation");
    await expect(
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:000000000000:q" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("protocol"),
    });
    await expect(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: "functions/../../etc" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "https", Endpoint: "http://example.com/" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await expect(sns.send(new SubscribeCommand({ TopicArn: `${topicArn}-missing`, Protocol: "lambda", Endpoint: functionArn("x") }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
  });

  it("answers Publish to an unknown topic with NotFound (404), as AWS does", async () => {
    const error = await sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:nope", Message: "x" })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "NotFoundException", message: "Topic does not exist", $metadata: { httpStatusCode: 404 } });
    const topicArn = await topic("empty-message");
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: "" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: "x", Subject: "two\nlines" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  });

  it("delivers the AWS-shaped SNS event to the Lambda handler", async () => {
    const topicArn = await topic("lambda-delivery");
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    const before = Date.now();
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: "Order placed",
        Message: JSON.stringify({ order: 42 }),
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "order" },
          total: { DataType: "Number", StringValue: "9.5" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    expect(await drain()).toEqual([{ messageId: MessageId, subscriptionArn: SubscriptionArn, protocol: "lambda", attempts: 1, ok: true }]);
    const events = receivedOn(topicArn);
    expect(events).toHaveLength(1);
    const record = events[0]!.Records[0]!;
    expect(events[0]!.Records).toHaveLength(1);
    expect(record).toMatchObject({ EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: SubscriptionArn });
    expect(record.Sns).toEqual({
      Type: "Notification",
      MessageId,
      TopicArn: topicArn,
      Subject: "Order placed",
      Message: '{"order":42}',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: "1",
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      SigningCertUrl: expect.stringMatching(/^http:\/\/.+\.pem$/),
      UnsubscribeUrl: `${sandbox.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`,
      MessageAttributes: {
        kind: { Type: "String", Value: "order" },
        total: { Type: "Number", Value: "9.5" },
        blob: { Type: "Binary", Value: "AQID" },
      },
    });
    expect(Date.parse(record.Sns.Timestamp as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("gives Lambda a null Subject when none was published, and honours the UnsubscribeUrl", async () => {
    const topicArn = await topic("no-subject");
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "plain" }));
    await drain();
    const sent = receivedOn(topicArn)[0]!.Records[0]!.Sns;
    expect(sent).toMatchObject({ Subject: null, Message: "plain", MessageAttributes: {} });

    const response = await fetch(sent.UnsubscribeUrl as string);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<UnsubscribeResponse");
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);
  });

  it("signs deliveries as SNS does, version 1 unless the topic's SignatureVersion says 2, and serves the certificate", async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: "signed" }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes).toMatchObject({
      TopicArn: topicArn,
      SignatureVersion: "1",
      SubscriptionsConfirmed: "1",
    });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: "Signed", Message: "version one" }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "SignatureVersion", AttributeValue: "2" }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.SignatureVersion).toBe("2");
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "version two" }));
    const created = (await sns.send(new CreateTopicCommand({ Name: "signed-v2", Attributes: { SignatureVersion: "2" } }))).TopicArn!;
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: created }))).Attributes?.SignatureVersion).toBe("2");
    await expect(sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "SignatureVersion", AttributeValue: "3" }))).rejects.toMatchObject(
      { name: "InvalidParameterException" },
    );
    await drain();

    const records = receivedOn(topicArn).map((e) => e.Records[0]!.Sns as unknown as SignedSnsMessage);
    expect(records.map((r) => [r.Message, r.SignatureVersion])).toEqual([
      ["version one", "1"],
      ["version two", "2"],
    ]);
    const certificate = await fetch(records[0]!.SigningCertUrl);
    expect(certificate.status).toBe(200);
    expect(await certificate.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(records[0]!.SigningCertUrl).toMatch(new RegExp(`^${sandbox.url}/_sandbox/sns/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
    expect((await fetch(`${sandbox.url}/_sandbox/sns/SimpleNotificationService-${"0".repeat(32)}.pem`)).status).toBe(404);

    // The portal's own verifier accepts them once told to trust the sandbox, and nothing altered.
    process.env.AWS_ENDPOINT_URL_SNS = sandbox.url;
    try {
      for (const record of records) expect(await snsSignatureProblem(record)).toBeUndefined();
      expect(await snsSignatureProblem({ ...records[0]!, Subject: "Changed" })).toBe("signature does not verify");
      expect(await snsSignatureProblem({ ...records[1]!, SignatureVersion: "1" })).toBe("signature does not verify");
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SNS;
    }
  });

  it("sends each protocol its own entry of a MessageStructure=json message", async () => {
    const topicArn = await topic("structured");
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: "json", Message: JSON.stringify({ default: "for all", lambda: "for lambda" }) }));
    await drain();
    expect(receivedOn(topicArn)[0]!.Records[0]!.Sns.Message).toBe("for lambda");
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: "json", Message: '{"lambda":"x"}' }))).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("No default entry"),
    });
  });

  it("retries a failing handler with the same MessageId, then gives up after three attempts", async () => {
    const topicArn = await topic("retries");
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));

    behaviour.failuresLeft = 2;
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "flaky" }));
    expect(await drain()).toMatchObject([{ messageId: MessageId, attempts: 3, ok: true }]);
    const ids = receivedOn(topicArn).map((e) => e.Records[0]!.Sns.MessageId);
    expect(ids).toEqual([MessageId, MessageId, MessageId]);

    behaviour.failuresLeft = 10;
    const second = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "always failing" }));
    expect(await drain()).toMatchObject([{ messageId: second.MessageId, attempts: 3, ok: false, error: "planned fixture failure" }]);
    expect(receivedOn(topicArn).filter((e) => e.Records[0]!.Sns.MessageId === second.MessageId)).toHaveLength(3);
  });

  it("reports a delivery to a function that has no module as failed", async () => {
    const topicArn = await topic("missing-function");
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: functionArn("not-there") }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "x" }));
    expect(await drain()).toMatchObject([{ ok: false, attempts: 3, error: expect.stringContaining("functions/not-there.ts") }]);
  });

  describe("http subscribers", () => {
    let server: Server;
    let endpoint: string;
    const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
    let failFirst = false;

    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
          const fail = failFirst;
          failFirst = false;
          res.writeHead(fail ? 500 : 200).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("POST the SNS notification JSON with the SNS headers", async () => {
      requests.length = 0;
      const topicArn = await topic("http-delivery");
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: endpoint }));
      const { MessageId } = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: "Hello",
          Message: "body text",
          MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } },
        }),
      );
      expect(await drain()).toMatchObject([{ messageId: MessageId, ok: true, attempts: 1 }]);

      expect(requests).toHaveLength(1);
      const { headers, body } = requests[0]!;
      expect(headers).toMatchObject({
        "x-amz-sns-message-type": "Notification",
        "x-amz-sns-message-id": MessageId,
        "x-amz-sns-topic-arn": topicArn,
        "x-amz-sns-subscription-arn": SubscriptionArn,
        "content-type": "text/plain; charset=UTF-8",
      });
      const notification = JSON.parse(body) as Record<string, unknown>;
      expect(Object.keys(notification)).toEqual([
        "Type",
        "MessageId",
        "TopicArn",
        "Subject",
        "Message",
        "Timestamp",
        "SignatureVersion",
        "Signature",
        "SigningCertURL",
        "UnsubscribeURL",
        "MessageAttributes",
      ]);
      expect(notification).toMatchObject({
        Type: "Notification",
        MessageId,
        TopicArn: topicArn,
        Subject: "Hello",
        Message: "body text",
        SignatureVersion: "1",
        UnsubscribeURL: `${sandbox.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(SubscriptionArn!)}`,
        MessageAttributes: { kind: { Type: "String", Value: "greeting" } },
      });
      // HTTP spells it SigningCertURL; the signature covers the same fields as Lambda's.
      process.env.AWS_ENDPOINT_URL_SNS = sandbox.url;
      try {
        const { SigningCertURL, ...rest } = notification as unknown as SignedSnsMessage & { SigningCertURL: string };
        expect(await snsSignatureProblem({ ...rest, SigningCertUrl: SigningCertURL })).toBeUndefined();
      } finally {
        delete process.env.AWS_ENDPOINT_URL_SNS;
      }
    });

    it("retries an endpoint that answers 5xx with the same MessageId", async () => {
      requests.length = 0;
      failFirst = true;
      const topicArn = await topic("http-retry");
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: endpoint }));
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "again" }));
      expect(await drain()).toMatchObject([{ messageId: MessageId, ok: true, attempts: 2 }]);
      expect(requests.map((r) => r.headers["x-amz-sns-message-id"])).toEqual([MessageId, MessageId]);
      expect(requests.map((r) => (JSON.parse(r.body) as { MessageId: string }).MessageId)).toEqual([MessageId, MessageId]);
    });
  });

  it("speaks Query-protocol XML errors for unknown actions", async () => {
    const response = await fetch(sandbox.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "AWS4-HMAC-SHA256 Credential=sandbox/20250101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "Action=CreatePlatformApplication&Version=2010-03-31",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/xml");
    const xml = await response.text();
    expect(xml).toMatch(
      /<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
  });

  it("injects throttling and internal errors in SNS's own wire form", async () => {
    sandbox.faults.set("sns", { throttleRate: 1 });
    await expect(sns.send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
    sandbox.faults.set("sns", { throttleRate: 0, errorRate: 1 });
    await expect(sns.send(new ListTopicsCommand({}))).rejects.toMatchObject({ name: "InternalErrorException", $metadata: { httpStatusCode: 500 } });
  });
});

describe("sandbox SNS persistence", () => {
  it("keeps topics and subscriptions across restarts", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-sns-"));
    try {
      const first = await startSandbox({ port: 0, stateDir, quiet: true, root: FIXTURES_ROOT });
      const client = new SNSClient(sdkConfig(first));
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: "durable" }));
      const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn, Protocol: "lambda", Endpoint: functionArn("record-events") }));
      await first.close();

      const second = await startSandbox({ port: 0, stateDir, quiet: true, root: FIXTURES_ROOT });
      const again = new SNSClient(sdkConfig(second));
      expect((await again.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn }]);
      expect((await again.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.map((s) => s.SubscriptionArn)).toEqual([SubscriptionArn]);
      await second.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
