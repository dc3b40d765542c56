import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MarketplaceMeteringClient, MeterUsageCommand, ResolveCustomerCommand } from "@aws-sdk/client-marketplace-metering";
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { wireMarketplaceListener } from "@/local/marketplace/wiring";
import { startSandbox } from "@/local/sandbox";
import { sdkConfig, startTestSandbox } from "./harness";
import { behaviour, received } from "./fixtures/functions/record-events";
import { unescapeHtml } from "./hosted-client";

const FIXTURES_ROOT = path.resolve(import.meta.dirname, "fixtures");
const LISTENER_ARN = "arn:aws:lambda:us-east-1:000000000000:function:record-events";
/** fixtures/functions/marketplace-listener.ts records into the same `received` as record-events. */
const MARKETPLACE_LISTENER_ARN = "arn:aws:lambda:us-east-1:000000000000:function:marketplace-listener";

interface AgreementEvent {
  id: string;
  source: string;
  "detail-type": string;
  time: string;
  detail: { agreement: { acceptor: { accountId: string } }; product: { code: string } };
}
/** EventBridge events the listener received (SNS deliveries have Records instead). */
const agreementEvents = () =>
  (received as Partial<AgreementEvent & { Records: unknown }>[]).filter((e) => e.source === "aws.agreement-marketplace") as AgreementEvent[];

interface Minted {
  token: string;
  customerIdentifier: string;
  customerAWSAccountId: string;
  licenseArn: string;
  productCode: string;
  offerIdentifier: string;
}

describe("sandbox AWS Marketplace (ResolveCustomer, buyer page, notifications)", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let metering: MarketplaceMeteringClient;
  let sns: SNSClient;

  const post = (pathname: string, body: unknown) =>
    fetch(`${sandbox.url}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const mint = async (body: Record<string, unknown>): Promise<Minted> => {
    const response = await post("/_sandbox/marketplace/tokens", body);
    expect(response.status).toBe(200);
    return (await response.json()) as Minted;
  };
  const postForm = (pathname: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  const resolve = async (token: string) => {
    const { $metadata, ...answer } = await metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
    expect($metadata.httpStatusCode).toBe(200);
    return answer;
  };
  const drain = () => fetch(`${sandbox.url}/_sandbox/sns/drain`, { method: "POST" });
  const messagesOn = (topicArn: string) =>
    (received as { Records?: { Sns: { TopicArn: string; Message: string } }[] }[])
      .filter((e) => e.Records?.[0]?.Sns.TopicArn === topicArn)
      .map((e) => e.Records![0]!.Sns.Message);

  beforeAll(async () => {
    sandbox = await startTestSandbox({ root: FIXTURES_ROOT });
    metering = new MarketplaceMeteringClient(sdkConfig(sandbox));
    sns = new SNSClient(sdkConfig(sandbox));
  });
  afterAll(() => sandbox.stop());
  afterEach(() => sandbox.faults.clear());

  describe("ResolveCustomer", () => {
    it("answers a new-integration token with account and license, no CustomerIdentifier, twice the same", async () => {
      const minted = await mint({ productCode: "prod-new", customerAWSAccountId: "123456789012" });
      expect(minted.token.length).toBeGreaterThan(100);
      expect(minted.licenseArn).toMatch(/^arn:aws:license-manager::123456789012:license:l-[0-9a-f]{32}$/);
      const answer = await resolve(minted.token);
      expect(answer).toEqual({ CustomerAWSAccountId: "123456789012", ProductCode: "prod-new", LicenseArn: minted.licenseArn });
      expect(await resolve(minted.token)).toEqual(answer);
    });

    it("answers a legacy token with the CustomerIdentifier filled as well", async () => {
      const minted = await mint({ productCode: "prod-legacy", legacy: true });
      expect(minted.customerIdentifier).toMatch(/^[A-Za-z0-9]{11}$/);
      expect(minted.customerAWSAccountId).toMatch(/^[1-9]\d{11}$/);
      const answer = await resolve(minted.token);
      expect(answer).toEqual({
        CustomerIdentifier: minted.customerIdentifier,
        CustomerAWSAccountId: minted.customerAWSAccountId,
        ProductCode: "prod-legacy",
        LicenseArn: minted.licenseArn,
      });
      expect(await resolve(minted.token)).toEqual(answer);
    });

    it("keeps one customer identity per buyer account and product across purchases", async () => {
      const first = await mint({ productCode: "prod-repeat", customerAWSAccountId: "210987654321", legacy: true });
      const second = await mint({ productCode: "prod-repeat", customerAWSAccountId: "210987654321", legacy: true });
      expect(second.token).not.toBe(first.token);
      expect(second.customerIdentifier).toBe(first.customerIdentifier);
      expect((await resolve(second.token)).CustomerIdentifier).toBe(first.customerIdentifier);
    });

    it("rejects an unknown token with InvalidTokenException", async () => {
      const error = await metering.send(new ResolveCustomerCommand({ RegistrationToken: "bm90LWEtcmVhbC10b2tlbg==" })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "InvalidTokenException", $metadata: { httpStatusCode: 400 } });
    });

    it("rejects a token older than 4 hours with ExpiredTokenException, and accepts one just inside", async () => {
      const hour = 60 * 60 * 1000;
      const stale = await mint({ productCode: "prod-exp", issuedAt: new Date(Date.now() - 4 * hour - 60_000).toISOString() });
      await expect(metering.send(new ResolveCustomerCommand({ RegistrationToken: stale.token }))).rejects.toMatchObject({
        name: "ExpiredTokenException",
        $metadata: { httpStatusCode: 400 },
      });
      const fresh = await mint({ productCode: "prod-exp", issuedAt: new Date(Date.now() - 4 * hour + 60_000).toISOString() });
      expect((await resolve(fresh.token)).ProductCode).toBe("prod-exp");
    });

    it("answers malformed bodies and unknown operations with AWS JSON errors", async () => {
      const call = (target: string, body: string) =>
        fetch(sandbox.url, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target }, body });
      const malformed = await call("AWSMPMeteringService.ResolveCustomer", "{not json");
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get("x-amzn-errortype")).toBe("SerializationException");
      expect(await malformed.json()).toMatchObject({ __type: "SerializationException" });

      const missing = await call("AWSMPMeteringService.ResolveCustomer", "{}");
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ __type: "InvalidTokenException" });

      await expect(
        metering.send(new MeterUsageCommand({ ProductCode: "p", Timestamp: new Date(), UsageDimension: "calls", UsageQuantity: 1 })),
      ).rejects.toMatchObject({ name: "UnknownOperationException", $metadata: { httpStatusCode: 400 } });
    });

    it("validates the token-minting endpoint's input", async () => {
      expect((await post("/_sandbox/marketplace/tokens", { productCode: "has space" })).status).toBe(400);
      expect((await post("/_sandbox/marketplace/tokens", { productCode: "p", customerAWSAccountId: "12" })).status).toBe(400);
      const future = await post("/_sandbox/marketplace/tokens", { productCode: "p", issuedAt: new Date(Date.now() + 60_000).toISOString() });
      expect(future.status).toBe(400);
      expect(((await future.json()) as { message: string }).message).toContain("future");
    });

    it("injects throttling and internal errors as Marketplace exceptions", async () => {
      const minted = await mint({ productCode: "prod-faults" });
      sandbox.faults.set("aws-marketplace", { throttleRate: 1 });
      await expect(metering.send(new ResolveCustomerCommand({ RegistrationToken: minted.token }))).rejects.toMatchObject({ name: "ThrottlingException" });
      sandbox.faults.set("aws-marketplace", { throttleRate: 0, errorRate: 1 });
      await expect(metering.send(new ResolveCustomerCommand({ RegistrationToken: minted.token }))).rejects.toMatchObject({
        name: "InternalServiceErrorException",
        $metadata: { httpStatusCode: 500 },
      });
    });
  });

  describe("buyer page", () => {
    it("prefills the fulfillment URL of the portal the sandbox was started with, whatever its port", async () => {
      const other = await startTestSandbox({ portalUrl: "http://localhost:3456" });
      try {
        const html = await (await fetch(`${other.url}/buyer?productCode=prod-page`)).text();
        expect(html).toMatch(/<input type="url" id="fulfillmentUrl" name="fulfillmentUrl" required value="http:\/\/localhost:3456\/marketplace\/confirm">/);
      } finally {
        await other.stop();
      }
    });

    it("renders the purchase form, prefilled and escaped", async () => {
      const response = await fetch(`${sandbox.url}/buyer?productCode=prod-page`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("content-security-policy")).toContain("script-src 'none'");
      // no-referrer would make browsers send `Origin: null` on the page's own form posts.
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      const html = await response.text();
      expect(html).toContain("<title>AWS Marketplace (sandbox) — simulate a purchase</title>");
      expect(html).toContain('<form method="post" action="/buyer/purchase">');
      expect(html).toMatch(/<input type="text" id="productCode" name="productCode"[^>]* value="prod-page"/);
      expect(html).toMatch(/<input type="url" id="fulfillmentUrl" name="fulfillmentUrl" required value="http:\/\/localhost:3000\/marketplace\/confirm">/);
      expect(html).toContain('<label for="productCode">');

      const hostile = await (
        await fetch(
          `${sandbox.url}/buyer?productCode=${encodeURIComponent('"><script>alert(1)</script>')}&fulfillmentUrl=${encodeURIComponent("http://portal.test/mp")}`,
        )
      ).text();
      expect(hostile).not.toContain("<script>alert(1)");
      expect(hostile).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(hostile).toContain('value="http://portal.test/mp"');
    });

    it("hands the token to the fulfillment URL in an auto-submitting form POST, never in a URL", async () => {
      const fulfillmentUrl = "http://localhost:3000/marketplace/confirm";
      const response = await postForm("/buyer/purchase", { productCode: "prod-buy", fulfillmentUrl, identifiers: "legacy", freeTrial: "on" });
      expect(response.status).toBe(200);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("cache-control")).toBe("no-store");
      const html = await response.text();

      expect(html).toContain(`<form id="fulfil" method="post" action="${fulfillmentUrl}">`);
      const token = unescapeHtml(/<input type="hidden" name="x-amzn-marketplace-token" value="([^"]+)">/.exec(html)?.[1] ?? "");
      expect(token.length).toBeGreaterThan(100);
      expect(html).toContain('<input type="hidden" name="x-amzn-marketplace-offer-type" value="free-trial">');
      expect(html).toMatch(/<button type="submit">Continue to localhost:3000<\/button>/);
      // The auto-submit script is allowed by its hash only.
      const script = /<script>([^<]+)<\/script>/.exec(html)?.[1] ?? "";
      expect(script).toContain(".submit()");
      const hash = createHash("sha256").update(script).digest("base64");
      expect(response.headers.get("content-security-policy")).toContain(`script-src 'sha256-${hash}'`);
      // No URL-bearing attribute carries the token.
      for (const [, url] of html.matchAll(/(?:action|href|src)="([^"]*)"/g)) {
        expect(unescapeHtml(url!)).not.toContain(token);
        expect(decodeURIComponent(unescapeHtml(url!))).not.toContain(token);
      }

      const answer = await resolve(token);
      expect(answer).toMatchObject({ ProductCode: "prod-buy", CustomerIdentifier: expect.stringMatching(/^[A-Za-z0-9]{11}$/) });
    });

    it("omits the offer type for a paid purchase and answers new-integration tokens", async () => {
      const response = await postForm("/buyer/purchase", { productCode: "prod-paid", fulfillmentUrl: "https://portal.example/mp", identifiers: "new" });
      const html = await response.text();
      expect(html).toContain('action="https://portal.example/mp"');
      expect(html).not.toContain("x-amzn-marketplace-offer-type");
      const token = unescapeHtml(/name="x-amzn-marketplace-token" value="([^"]+)"/.exec(html)?.[1] ?? "");
      const answer = await resolve(token);
      expect(answer.CustomerIdentifier).toBeUndefined();
      expect(answer).toMatchObject({ ProductCode: "prod-paid", CustomerAWSAccountId: expect.stringMatching(/^\d{12}$/) });
    });

    it("refuses bad input and cross-site posts with a 4xx page", async () => {
      const badUrl = await postForm("/buyer/purchase", { productCode: "prod-x", fulfillmentUrl: "javascript:alert(1)" });
      expect(badUrl.status).toBe(400);
      const page = await badUrl.text();
      expect(page).toContain('role="alert"');
      expect(page).toContain("fulfillmentUrl");
      expect(page).not.toContain("x-amzn-marketplace-token");

      const badCode = await postForm("/buyer/purchase", { productCode: "<b>", fulfillmentUrl: "http://localhost:3000/marketplace/confirm" });
      expect(badCode.status).toBe(400);
      expect(await badCode.text()).not.toContain("<b>");

      const crossSite = await postForm(
        "/buyer/purchase",
        { productCode: "prod-x", fulfillmentUrl: "http://localhost:3000/marketplace/confirm" },
        { origin: "https://evil.example" },
      );
      expect(crossSite.status).toBe(403);
    });
  });

  describe("notifications", () => {
    it("publishes the exact Marketplace subscription message to the product's topic", async () => {
      const minted = await mint({ productCode: "prodnotify", freeTrial: true });
      const topicArn = "arn:aws:sns:us-east-1:000000000000:aws-mp-subscription-notification-prodnotify";
      expect((await sns.send(new CreateTopicCommand({ Name: "aws-mp-subscription-notification-prodnotify" }))).TopicArn).toBe(topicArn);
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: LISTENER_ARN }));

      const response = await post("/_sandbox/marketplace/notify", {
        action: "subscribe-success",
        customerIdentifier: minted.customerIdentifier,
        productCode: "prodnotify",
      });
      expect(response.status).toBe(200);
      const published = (await response.json()) as { messageId: string; topicArn: string; delivered: number };
      expect(published).toEqual({ messageId: expect.stringMatching(/^[0-9a-f-]{36}$/), topicArn, delivered: 1 });

      await post("/_sandbox/marketplace/notify", { action: "unsubscribe-pending", customerIdentifier: minted.customerIdentifier, productCode: "prodnotify" });
      await drain();
      expect(messagesOn(topicArn)).toEqual([
        `{"action":"subscribe-success","customer-identifier":"${minted.customerIdentifier}","product-code":"prodnotify","offer-identifier":"${minted.offerIdentifier}","isFreeTrialTermPresent":"true"}`,
        `{"action":"unsubscribe-pending","customer-identifier":"${minted.customerIdentifier}","product-code":"prodnotify","isFreeTrialTermPresent":"true"}`,
      ]);
    });

    it("publishes entitlement-updated to the entitlement topic, creating topics on demand", async () => {
      const response = await post("/_sandbox/marketplace/notify", { action: "entitlement-updated", customerIdentifier: "X01EXAMPLEX", productCode: "prodent" });
      expect(await response.json()).toMatchObject({ topicArn: "arn:aws:sns:us-east-1:000000000000:aws-mp-entitlement-notification-prodent", delivered: 0 });
      const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
      expect(topics).toContain("arn:aws:sns:us-east-1:000000000000:aws-mp-entitlement-notification-prodent");

      const topicArn = "arn:aws:sns:us-east-1:000000000000:aws-mp-entitlement-notification-prodent";
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: LISTENER_ARN }));
      await post("/_sandbox/marketplace/notify", { action: "entitlement-updated", customerIdentifier: "X01EXAMPLEX", productCode: "prodent" });
      await drain();
      expect(messagesOn(topicArn)).toEqual(['{"action":"entitlement-updated","customer-identifier":"X01EXAMPLEX","product-code":"prodent"}']);
    });

    it("rejects an unknown action", async () => {
      const response = await post("/_sandbox/marketplace/notify", { action: "subscribe-maybe", customerIdentifier: "X01EXAMPLEX", productCode: "p" });
      expect(response.status).toBe(400);
    });

    it("lists minted customers on the buyer page with a button per action that publishes", async () => {
      const minted = await mint({ productCode: "prodbuttons", customerAWSAccountId: "333333333333" });
      const html = await (await fetch(`${sandbox.url}/buyer`)).text();
      expect(html).toContain(`<input type="hidden" name="customerIdentifier" value="${minted.customerIdentifier}">`);
      for (const action of [
        "subscribe-success",
        "subscribe-fail",
        "unsubscribe-pending",
        "unsubscribe-success",
        "unsubscribe-complete",
        "entitlement-updated",
      ]) {
        expect(html).toContain(`name="action" value="${action}">${action}</button>`);
      }

      const topicArn = "arn:aws:sns:us-east-1:000000000000:aws-mp-subscription-notification-prodbuttons";
      await sns.send(new CreateTopicCommand({ Name: "aws-mp-subscription-notification-prodbuttons" }));
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "lambda", Endpoint: LISTENER_ARN }));
      const response = await postForm(
        "/buyer/notify",
        { productCode: "prodbuttons", customerIdentifier: minted.customerIdentifier, action: "unsubscribe-success", fulfillmentUrl: "http://portal.test/mp" },
        { origin: sandbox.url },
      );
      expect(response.status).toBe(303);
      const location = response.headers.get("location")!;
      expect(location).toMatch(/^\/buyer\?/);
      expect(new URL(location, sandbox.url).searchParams.get("fulfillmentUrl")).toBe("http://portal.test/mp");

      const after = await (await fetch(`${sandbox.url}${location}`)).text();
      expect(after).toContain('role="status"');
      expect(after).toContain("<strong>unsubscribe-success</strong>");
      expect(after).toContain("1 subscription.");
      expect(after).toContain('name="fulfillmentUrl" required value="http://portal.test/mp"');
      await drain();
      expect(messagesOn(topicArn)).toEqual([
        `{"action":"unsubscribe-success","customer-identifier":"${minted.customerIdentifier}","product-code":"prodbuttons","isFreeTrialTermPresent":"false"}`,
      ]);
    });
  });
});

describe("sandbox AWS Marketplace wiring and EventBridge agreement events", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let sns: SNSClient;

  const post = (pathname: string, body: unknown) =>
    fetch(`${sandbox.url}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const mint = async (body: Record<string, unknown>): Promise<Minted> => (await (await post("/_sandbox/marketplace/tokens", body)).json()) as Minted;
  const subscriptionsOf = async (topicArn: string) => (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({ root: FIXTURES_ROOT });
    sns = new SNSClient(sdkConfig(sandbox));
  });
  afterAll(() => sandbox.stop());

  it("creates both topics per product code, subscribes the listener once, and gives it the topics and table", async () => {
    const wired = await wireMarketplaceListener(sandbox.context, { productCodes: ["prodwired", "prodwired"], table: "portico" });
    const topics = [
      "arn:aws:sns:us-east-1:000000000000:aws-mp-subscription-notification-prodwired",
      "arn:aws:sns:us-east-1:000000000000:aws-mp-entitlement-notification-prodwired",
    ];
    expect(wired.topicArns).toEqual(topics);
    expect(await wireMarketplaceListener(sandbox.context, { productCodes: ["prodwired"], table: "portico" })).toEqual(wired);
    for (const topicArn of topics) {
      expect(await subscriptionsOf(topicArn)).toEqual([
        expect.objectContaining({ Protocol: "lambda", Endpoint: MARKETPLACE_LISTENER_ARN, TopicArn: topicArn }),
      ]);
    }

    const minted = await mint({ productCode: "prodwired", legacy: true });
    const published = (await (
      await post("/_sandbox/marketplace/notify", { action: "subscribe-success", customerIdentifier: minted.customerIdentifier, productCode: "prodwired" })
    ).json()) as {
      delivered: number;
    };
    expect(published.delivered).toBe(1);
    await fetch(`${sandbox.url}/_sandbox/sns/drain`, { method: "POST" });
    // The in-process listener runs with the environment infra/ gives it in AWS.
    expect(process.env.MARKETPLACE_TOPIC_ARNS).toBe(topics.join(","));
    expect(process.env.PORTICO_TABLE).toBe("portico");
  });

  it("wires nothing when there is no product code or no listener function", async () => {
    expect(await wireMarketplaceListener(sandbox.context, { productCodes: [], table: "portico" })).toEqual({ topicArns: [] });
    const elsewhere = { ...sandbox.context, root: path.join(FIXTURES_ROOT, "no-such-root") };
    expect(await wireMarketplaceListener(elsewhere, { productCodes: ["prodnolistener"], table: "portico" })).toEqual({ topicArns: [] });
    const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn) ?? [];
    expect(topics.some((arn) => arn?.endsWith("prodnolistener"))).toBe(false);
  });

  it("delivers an agreement event naming the buyer's account straight to the listener", async () => {
    const minted = await mint({ productCode: "prodbus", customerAWSAccountId: "444455556666" });
    const response = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      action: "subscribe-success",
      customerIdentifier: minted.customerIdentifier,
      productCode: "prodbus",
    });
    expect(response.status).toBe(200);
    const sent = (await response.json()) as { eventId: string; detailType: string; delivered: number };
    expect(sent).toMatchObject({ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), detailType: "Purchase Agreement Created - Manufacturer", delivered: 1 });

    const event = agreementEvents().at(-1)!;
    expect(event).toMatchObject({
      id: sent.eventId,
      source: "aws.agreement-marketplace",
      "detail-type": "Purchase Agreement Created - Manufacturer",
      account: "000000000000",
      region: "us-east-1",
      detail: { agreement: { acceptor: { accountId: "444455556666" } }, product: { code: "prodbus" }, license: { arn: minted.licenseArn } },
    });
    expect(Date.parse(event.time)).toBeGreaterThan(Date.now() - 60_000);
    // The event names the account, never the customer identifier SNS messages use.
    expect(JSON.stringify(event)).not.toContain(minted.customerIdentifier);

    // By account id too (a buyer the sandbox never minted), with an explicit detail type.
    const byAccount = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      detailType: "License Deprovisioned - Manufacturer",
      customerAWSAccountId: "777788889999",
      productCode: "prodbus",
    });
    expect(byAccount.status).toBe(200);
    expect(agreementEvents().at(-1)).toMatchObject({
      "detail-type": "License Deprovisioned - Manufacturer",
      detail: { agreement: { acceptor: { accountId: "777788889999" } }, product: { code: "prodbus" } },
    });

    const ended = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      action: "unsubscribe-success",
      customerIdentifier: minted.customerIdentifier,
      productCode: "prodbus",
    });
    expect(((await ended.json()) as { detailType: string }).detailType).toBe("Purchase Agreement Ended - Manufacturer");
  });

  it("refuses actions with no EventBridge event, unnamed or unknown buyers, and reports a failing listener", async () => {
    const minted = await mint({ productCode: "prodbusbad" });
    const noEvent = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      action: "subscribe-fail",
      customerIdentifier: minted.customerIdentifier,
      productCode: "prodbusbad",
    });
    expect(noEvent.status).toBe(400);
    expect(((await noEvent.json()) as { message: string }).message).toContain("no EventBridge event");
    expect((await post("/_sandbox/marketplace/notify", { via: "eventbridge", action: "subscribe-success", productCode: "prodbusbad" })).status).toBe(400);
    expect(
      (
        await post("/_sandbox/marketplace/notify", {
          via: "eventbridge",
          detailType: "Agreement Maybe",
          customerAWSAccountId: "111122223333",
          productCode: "p",
        })
      ).status,
    ).toBe(400);
    const unknown = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      action: "subscribe-success",
      customerIdentifier: "X01NOBODYXX",
      productCode: "prodbusbad",
    });
    expect(unknown.status).toBe(404);

    behaviour.failuresLeft = 1;
    const failing = await post("/_sandbox/marketplace/notify", {
      via: "eventbridge",
      action: "subscribe-success",
      customerIdentifier: minted.customerIdentifier,
      productCode: "prodbusbad",
    });
    expect(failing.status).toBe(502);
    expect(((await failing.json()) as { message: string }).message).toContain("planned fixture failure");
  });

  it("offers EventBridge buttons per customer on the buyer page, and tells new-integration buyers SNS can't reach them", async () => {
    const older = await mint({ productCode: "prodbuspage", customerAWSAccountId: "343434343434", legacy: true });
    const minted = await mint({ productCode: "prodbuspage", customerAWSAccountId: "121212121212" });
    const html = await (await fetch(`${sandbox.url}/buyer`)).text();
    expect(html).toContain(`aria-label="Send an EventBridge event for customer ${minted.customerIdentifier}"`);
    expect(html).toContain('<input type="hidden" name="via" value="eventbridge">');
    expect(html).toContain('name="detailType" value="Purchase Agreement Created - Manufacturer">Agreement created</button>');
    expect(html).toContain('name="detailType" value="Purchase Agreement Ended - Manufacturer">Agreement ended</button>');
    expect(html).toContain("new integration");
    expect(html).toContain("use the EventBridge events");
    // Newest purchase first: the one the owner just made.
    expect(html.indexOf(minted.customerIdentifier)).toBeLessThan(html.indexOf(older.customerIdentifier));

    const before = agreementEvents().length;
    const response = await fetch(`${sandbox.url}/buyer/notify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: sandbox.url },
      body: new URLSearchParams({
        productCode: "prodbuspage",
        customerIdentifier: minted.customerIdentifier,
        fulfillmentUrl: "http://portal.test/mp",
        via: "eventbridge",
        detailType: "Purchase Agreement Ended - Manufacturer",
      }).toString(),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, sandbox.url);
    expect(location.searchParams.get("via")).toBe("eventbridge");
    expect(location.searchParams.get("fulfillmentUrl")).toBe("http://portal.test/mp");
    expect(agreementEvents().length).toBe(before + 1);
    expect(agreementEvents().at(-1)).toMatchObject({
      "detail-type": "Purchase Agreement Ended - Manufacturer",
      detail: { agreement: { acceptor: { accountId: "121212121212" } } },
    });

    const after = await (await fetch(location)).text();
    expect(after).toContain('role="status"');
    expect(after).toContain("<strong>Purchase Agreement Ended - Manufacturer</strong>");
    expect(after).toContain("the listener received it.");
  });
});

describe("sandbox AWS Marketplace persistence", () => {
  it("keeps one listener subscription per topic across restarts", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-marketplace-"));
    try {
      for (let start = 0; start < 2; start++) {
        const running = await startSandbox({ port: 0, stateDir, quiet: true, root: FIXTURES_ROOT });
        try {
          const { topicArns } = await wireMarketplaceListener(running.context, { productCodes: ["prodrestart"], table: "portico" });
          const client = new SNSClient(sdkConfig(running));
          for (const topicArn of topicArns) {
            const { Subscriptions = [] } = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
            expect(Subscriptions.map((s) => s.Endpoint)).toEqual([MARKETPLACE_LISTENER_ARN]);
          }
          client.destroy();
        } finally {
          await running.close();
        }
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("resolves a token minted before a restart with the same answer", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "portico-marketplace-"));
    try {
      const first = await startSandbox({ port: 0, stateDir, quiet: true, root: FIXTURES_ROOT });
      const response = await fetch(`${first.url}/_sandbox/marketplace/tokens`, {
        method: "POST",
        body: JSON.stringify({ productCode: "durable", legacy: true }),
      });
      const { token } = (await response.json()) as Minted;
      const before = await new MarketplaceMeteringClient(sdkConfig(first)).send(new ResolveCustomerCommand({ RegistrationToken: token }));
      await first.close();

      const second = await startSandbox({ port: 0, stateDir, quiet: true, root: FIXTURES_ROOT });
      const after = await new MarketplaceMeteringClient(sdkConfig(second)).send(new ResolveCustomerCommand({ RegistrationToken: token }));
      expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });
      await second.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
