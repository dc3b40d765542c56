import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { APIGatewayClient, GetApiKeyCommand } from "@aws-sdk/client-api-gateway";
import { SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { MarketplaceProduct } from "@/lib/catalog/types";
import type { Landing } from "@/lib/marketplace";
import { tableName } from "@/lib/db/table";
import { createSnsSigner } from "@/local/sns/signing";
import { newUser, startAccessSandbox } from "../access/setup";
import { sdkConfig } from "../sandbox/harness";
import {
  agreementEvent,
  customerIdentifiers,
  ENTITLEMENT_TOPIC,
  EXPECTED,
  generateStream,
  marketplaceMessage,
  noticeKind,
  pool,
  PRODUCT_CODE,
  snsEventFor,
  snsLambdaEvent,
  startSnsSigning,
  SUBSCRIPTION_TOPIC,
  TOPIC_ARNS,
  type SnsAction,
} from "./stream";

/**
 * AWS Marketplace end to end below the web layer: registration tokens resolved by the sandbox,
 * activation binding a buyer to a user and a metered key, and the listener Lambda's handler fed
 * SNS and EventBridge events, checked against DynamoDB rows and API Gateway itself.
 *
 * Control-plane calls are attributed to the event that made them: each delivery runs in its own
 * AsyncLocalStorage context and a middleware on lib/apigateway's client records the operation there.
 */

interface Minted {
  token: string;
  customerIdentifier: string;
  customerAWSAccountId: string;
  licenseArn: string;
  productCode: string;
}

type MarketplaceLib = typeof import("@/lib/marketplace") & typeof import("@/lib/marketplace/customers") & typeof import("@/lib/db/customers");
type Handler = (typeof import("@/functions/marketplace-listener"))["handler"];

const attribution = new AsyncLocalStorage<{ calls: string[] }>();
const MEMBERSHIP_CALLS = new Set(["CreateUsagePlanKey", "DeleteUsagePlanKey"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("AWS Marketplace: activation and the listener against the sandbox", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let mp: MarketplaceLib;
  let handler: Handler;
  let withUserLock: (typeof import("@/lib/access/lock"))["withUserLock"];
  let db: (typeof import("@/lib/db/client"))["db"];
  let gateway: APIGatewayClient;
  let pro: MarketplaceProduct;
  let signing: Awaited<ReturnType<typeof startSnsSigning>>;

  beforeAll(async () => {
    env = await startAccessSandbox();
    process.env.MARKETPLACE_TOPIC_ARNS = TOPIC_ARNS;
    // The events below are signed like SNS's, with a certificate this process serves on loopback.
    signing = await startSnsSigning();
    process.env.AWS_ENDPOINT_URL_SNS = signing.origin;
    mp = { ...(await import("@/lib/marketplace")), ...(await import("@/lib/marketplace/customers")), ...(await import("@/lib/db/customers")) };
    handler = (await import("@/functions/marketplace-listener")).handler;
    withUserLock = (await import("@/lib/access/lock")).withUserLock;
    db = (await import("@/lib/db/client")).db;
    gateway = new APIGatewayClient(sdkConfig(env.sandbox));
    env.lib.apigateway.middlewareStack.add(
      (next, context) => (args) => {
        attribution.getStore()?.calls.push((context.commandName ?? "Unknown").replace(/Command$/, ""));
        return next(args);
      },
      { step: "initialize", name: "marketplaceTestAttribution" },
    );
    pro = productFor(PRODUCT_CODE)!;
    expect(pro).toMatchObject({ productSlug: "pro", productName: "Pro" });
  });
  afterAll(async () => {
    await signing.close();
    await env.stop();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    // Deliveries from the sandbox itself run the listener with the sandbox's environment (wiring.ts).
    process.env.MARKETPLACE_TOPIC_ARNS = TOPIC_ARNS;
    process.env.AWS_ENDPOINT_URL_SNS = signing.origin;
    await env.faults(null);
  });

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** What lib/catalog getMarketplaceProduct answers (it needs Next's cache, so it is mirrored here). */
  function productFor(productCode: string): MarketplaceProduct | undefined {
    const product = env.catalog.products.find((p) => p.plan.productCode === productCode);
    return product && { planId: product.plan.id, productSlug: product.slug, productName: product.name };
  }

  async function mint(body: { productCode?: string; legacy?: boolean; customerAWSAccountId?: string; issuedAt?: string } = {}): Promise<Minted> {
    const response = await fetch(`${env.sandbox.url}/_sandbox/marketplace/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ productCode: PRODUCT_CODE, ...body }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Minted;
  }

  /** The landing page's work: resolve the token, keep the answer under a handle, read it back. */
  async function landingFor(token: string): Promise<Landing> {
    const landing = await mp.readLanding(await mp.acceptRegistrationToken(token));
    if (!landing) throw new Error("the landing was not kept");
    return landing;
  }

  /** A buyer who landed with a fresh token and activated as a new user. */
  async function buyer(options: { legacy?: boolean; customerAWSAccountId?: string } = { legacy: true }) {
    const user = newUser("buyer");
    const minted = await mint(options);
    const landing = await landingFor(minted.token);
    const subscription = await mp.activatePurchase(user, landing, pro);
    const key = (await env.lib.readUserAccess(user.id)).keys.find((k) => k.boundPlanId === pro.planId);
    if (!key) throw new Error("activation issued no bound key");
    return { user, minted, landing, subscription, key };
  }

  /** Calls the handler as Lambda would, returning its outcomes and the control-plane calls it made. */
  async function deliver(event: unknown): Promise<{ outcomes: string[]; calls: string[] }> {
    const store = { calls: [] as string[] };
    const { outcomes } = await attribution.run(store, () => handler(event));
    return { outcomes, calls: store.calls };
  }

  let clock = Date.now() - 3_600_000;
  const nextTimestamp = () => new Date((clock += 1_000)).toISOString();

  /** One Marketplace notification on the subscription topic, newer than any sent before. */
  function notification(
    action: SnsAction,
    customerIdentifier: string,
    overrides: { topicArn?: string; messageId?: string; productCode?: string; signatureVersion?: "1" | "2" } = {},
  ) {
    return snsLambdaEvent({
      messageId: overrides.messageId ?? randomUUID(),
      topicArn: overrides.topicArn ?? SUBSCRIPTION_TOPIC,
      message: marketplaceMessage(action, customerIdentifier, overrides.productCode),
      timestamp: nextTimestamp(),
      signatureVersion: overrides.signatureVersion,
    });
  }

  const taggedKeys = async (userId: string) => (await env.lib.listApiKeys()).filter((k) => k.tags["portico:user"] === userId);
  const partition = (userId: string) =>
    env.lib.queryAll<{ sk: string }>({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `USER#${userId}` } });
  const customerIdOf = async (keyId: string) => (await gateway.send(new GetApiKeyCommand({ apiKey: keyId }))).customerId;
  const eventMarker = async (messageId: string) =>
    (await db.send(new GetCommand({ TableName: tableName(), Key: { pk: `MPEVENT#${messageId}`, sk: "EVENT" } }))).Item;
  const subscriptionOf = async (userId: string) => (await env.lib.listSubscriptions(userId)).find((s) => s.planId === pro.planId);
  const boundKeys = async (userId: string) => (await env.lib.readUserAccess(userId)).keys.filter((k) => k.boundPlanId === pro.planId);

  // ---------------------------------------------------------------------------------------------

  describe("activation", () => {
    it("an expired or unreadable registration token is refused with its own message and keeps nothing", async () => {
      const expired = await mint({ legacy: true, issuedAt: new Date(Date.now() - 5 * 3_600_000).toISOString() });
      const refusal = mp.acceptRegistrationToken(expired.token);
      await expect(refusal).rejects.toBeInstanceOf(mp.LandingError);
      await expect(refusal).rejects.toMatchObject({ problem: "expired-token", code: "bad_request", message: mp.LANDING_MESSAGES["expired-token"] });

      await expect(mp.acceptRegistrationToken("bm90LWEtdG9rZW4=")).rejects.toMatchObject({
        problem: "invalid-token",
        code: "bad_request",
        message: mp.LANDING_MESSAGES["invalid-token"],
      });
      await expect(mp.acceptRegistrationToken("")).rejects.toMatchObject({ problem: "invalid-token" });

      expect(await mp.readCustomer(mp.cidKey(expired.customerIdentifier))).toBeUndefined();
      expect(await mp.readCustomer(mp.accountKey(expired.customerAWSAccountId, PRODUCT_CODE))).toBeUndefined();
      // The same buyer with a fresh token gets through.
      const fresh = await mint({ legacy: true, customerAWSAccountId: expired.customerAWSAccountId });
      expect(await landingFor(fresh.token)).toMatchObject({ customerIdentifier: expired.customerIdentifier, productCode: PRODUCT_CODE });
    });

    it("a product code no plan sells is not found, and nothing is written or created", async () => {
      const user = newUser("unsold");
      const minted = await mint({ productCode: "prod-nobody-sells", legacy: true });
      const landing = await landingFor(minted.token);
      expect(landing.productCode).toBe("prod-nobody-sells");
      const keysBefore = (await env.lib.listApiKeys()).length;

      await expect(mp.activatePurchase(user, landing, productFor(landing.productCode))).rejects.toMatchObject({
        code: "not_found",
        message: mp.LANDING_MESSAGES["no-plan"],
      });

      expect((await env.lib.listApiKeys()).length).toBe(keysBefore);
      expect(await taggedKeys(user.id)).toEqual([]);
      expect(await partition(user.id)).toEqual([]);
      expect(await mp.readCustomer(mp.cidKey(minted.customerIdentifier))).toBeUndefined();
      expect(await mp.readCustomer(mp.accountKey(minted.customerAWSAccountId, "prod-nobody-sells"))).toBeUndefined();
    });

    it("a legacy buyer's key is metered to the CustomerIdentifier; activating twice, even at once, makes one key", async () => {
      const user = newUser("twice");
      const minted = await mint({ legacy: true });
      const landing = await landingFor(minted.token);
      expect(landing).toMatchObject({
        customerIdentifier: minted.customerIdentifier,
        customerAWSAccountId: minted.customerAWSAccountId,
        licenseArn: minted.licenseArn,
      });

      const [first, second] = await Promise.all([mp.activatePurchase(user, landing, pro), mp.activatePurchase(user, landing, pro)]);
      expect(first).toMatchObject({ planId: pro.planId, productSlug: "pro", state: "awaiting", source: "marketplace" });
      expect(second).toEqual(first);
      expect(await mp.activatePurchase(user, landing, pro)).toEqual(first);

      const keys = (await env.lib.readUserAccess(user.id)).keys;
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ boundPlanId: pro.planId, customerId: minted.customerIdentifier, state: "active" });
      const tagged = await taggedKeys(user.id);
      expect(tagged.map((k) => k.id)).toEqual([keys[0]!.keyId]);
      expect(tagged[0]!.tags["portico:marketplace-product"]).toBe(PRODUCT_CODE);
      expect(await customerIdOf(keys[0]!.keyId)).toBe(minted.customerIdentifier);
      // Awaiting AWS's subscribe-success: not in the plan yet.
      expect(await env.lib.isKeyInPlan(pro.planId, keys[0]!.keyId)).toBe(false);
      expect(await mp.readCustomer(mp.cidKey(minted.customerIdentifier))).toMatchObject({ userId: user.id, planId: pro.planId, productCode: PRODUCT_CODE });
      expect(await mp.readCustomer(mp.accountKey(minted.customerAWSAccountId, PRODUCT_CODE))).toMatchObject({ userId: user.id, planId: pro.planId });
    });

    it("a new-mode buyer (account id and license, no CustomerIdentifier) has the account id as the key's customerId", async () => {
      const { minted, landing, key, user, subscription } = await buyer({ customerAWSAccountId: "210987654321" });
      expect(landing.customerIdentifier).toBeUndefined();
      expect(landing).toMatchObject({ customerAWSAccountId: "210987654321", licenseArn: minted.licenseArn, productCode: PRODUCT_CODE });
      expect(subscription.state).toBe("awaiting");
      expect(key.customerId).toBe("210987654321");
      expect(await customerIdOf(key.keyId)).toBe("210987654321");
      expect(await mp.readCustomer(mp.accountKey("210987654321", PRODUCT_CODE))).toMatchObject({ userId: user.id });
      expect(await mp.readCustomer(mp.cidKey(minted.customerIdentifier))).toBeUndefined();
    });

    it("a purchase bound to another user is refused as taken, and nothing changes for either user", async () => {
      const owner = await buyer();
      const before = { access: await env.lib.readUserAccess(owner.user.id), tagged: await taggedKeys(owner.user.id) };

      const other = newUser("other");
      await expect(mp.activatePurchase(other, owner.landing, pro)).rejects.toMatchObject({ code: "conflict", message: mp.LANDING_MESSAGES.taken });
      // The same buyer again from AWS Marketplace (a new token for the same account).
      const again = await landingFor((await mint({ legacy: true, customerAWSAccountId: owner.minted.customerAWSAccountId })).token);
      await expect(mp.activatePurchase(other, again, pro)).rejects.toMatchObject({ code: "conflict" });
      // One identity free, the other taken: the free one is let go again.
      const halfTaken: Landing = { ...owner.landing, customerIdentifier: customerIdentifiers(1, Date.now())[0]! };
      await expect(mp.activatePurchase(other, halfTaken, pro)).rejects.toMatchObject({ code: "conflict" });
      expect((await mp.readCustomer(mp.cidKey(halfTaken.customerIdentifier!)))?.userId).toBeUndefined();

      expect(await partition(other.id)).toEqual([]);
      expect(await taggedKeys(other.id)).toEqual([]);
      expect(await env.lib.readUserAccess(owner.user.id)).toEqual(before.access);
      expect(await taggedKeys(owner.user.id)).toEqual(before.tagged);
      expect(await mp.readCustomer(mp.cidKey(owner.minted.customerIdentifier))).toMatchObject({ userId: owner.user.id });
      expect(await mp.readCustomer(mp.accountKey(owner.minted.customerAWSAccountId, PRODUCT_CODE))).toMatchObject({ userId: owner.user.id });
    });

    it("an activation that waited while the account was deleted brings nothing back, and the purchase stays free to register (found by the model test)", async () => {
      const user = newUser("gone-buyer");
      const minted = await mint({ legacy: true });
      const landing = await landingFor(minted.token);
      await env.lib.removeAccount({ ...user, userPoolId: env.seeded.cognito.userPoolId });
      await expect(mp.activatePurchase(user, landing, pro)).rejects.toMatchObject({ code: "not_found" });
      expect((await partition(user.id)).map((r) => r.sk)).toEqual(["PROFILE"]);
      expect(await taggedKeys(user.id)).toEqual([]);
      const next = newUser("next-buyer");
      expect(await mp.activatePurchase(next, landing, pro)).toMatchObject({ planId: pro.planId, source: "marketplace" });
    });

    it("a disabled account's purchase gets a disabled key, like the account's other keys (found by the model test)", async () => {
      const user = newUser("disabled-buyer");
      const { updateProfile } = await import("@/lib/db/profiles");
      await updateProfile(user.id, { status: "disabled" }, { create: { email: user.email, name: "Disabled buyer", status: "disabled" } });
      const minted = await mint({ legacy: true });
      await mp.activatePurchase(user, await landingFor(minted.token), pro);
      await deliver(notification("subscribe-success", minted.customerIdentifier));
      const [key] = await boundKeys(user.id);
      expect((await env.lib.listApiKeys()).find((k) => k.id === key!.keyId)?.enabled).toBe(false);
      expect(await env.callApi("weather", await env.lib.revealKey(user.id, key!.keyId))).toBe(403);
    });

    it("issue 14 bug 4: with Marketplace Pro active, Free is offered as a plain subscribe, and taking it leaves Pro alone", async () => {
      const { user, minted, key } = await buyer();
      await deliver(notification("subscribe-success", minted.customerIdentifier));
      const [free, proTarget] = [env.target("free"), env.target("pro")];
      const { offers } = await env.lib.getAccessSummary(user.id, [free, proTarget]);
      expect(offers[free.planId]).toEqual({ kind: "subscribe", approval: false });
      expect(offers[proTarget.planId]).toEqual({ kind: "held", state: "active", source: "marketplace" });
      const { value } = await env.lib.createKey(user, "portal key");
      await env.lib.subscribe(user, free);
      expect((await env.lib.listSubscriptions(user.id)).map((s) => [s.productSlug, s.state, s.source ?? "portal"]).sort()).toEqual([
        ["free", "active", "portal"],
        ["pro", "active", "marketplace"],
      ]);
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(true);
      expect(await env.callApi("pets", value)).toBe(200);
    });

    it("issue 15 #7: a purchase never takes over a plan held through the portal: refused, its keys stay, the purchase stays free", async () => {
      const user = newUser("planted");
      const { key, value } = await env.lib.createKey(user, "portal key");
      await env.lib.subscribe(user, env.target("pro"));
      expect(await env.lib.isKeyInPlan(pro.planId, key.id)).toBe(true);
      const minted = await mint({ legacy: true });
      const landing = await landingFor(minted.token);
      await expect(mp.activatePurchase(user, landing, pro)).rejects.toMatchObject({ code: "conflict", message: mp.LANDING_MESSAGES.held });
      expect(await env.lib.isKeyInPlan(pro.planId, key.id)).toBe(true);
      expect(await env.callApi("pets", value)).toBe(200);
      const access = await env.lib.readUserAccess(user.id);
      expect(access.keys.map((k) => k.keyId)).toEqual([key.id]);
      expect(access.subscriptions.map((s) => [s.planId, s.source ?? "portal", s.state])).toEqual([[pro.planId, "portal", "active"]]);
      // The purchase's rightful owner can still activate it.
      const owner = newUser("owner");
      expect(await mp.activatePurchase(owner, landing, pro)).toMatchObject({ planId: pro.planId, source: "marketplace" });
    });

    it("a second, different purchase of a plan a live purchase holds is refused and left free; the same purchase again is idempotent (found by the model test)", async () => {
      const { user, landing, subscription } = await buyer();
      expect(await mp.activatePurchase(user, landing, pro)).toEqual(subscription);
      const other = await landingFor((await mint({ legacy: true })).token);
      await expect(mp.activatePurchase(user, other, pro)).rejects.toMatchObject({ code: "conflict", message: mp.LANDING_MESSAGES.duplicate });
      expect((await env.lib.readUserAccess(user.id)).keys).toHaveLength(1);
      // Its buyer can still register it.
      expect(await mp.activatePurchase(newUser("second-buyer"), other, pro)).toMatchObject({ planId: pro.planId, source: "marketplace" });
    });

    it("issue 15 #7: a landing says when it was made and lasts 30 minutes", async () => {
      const before = Date.now();
      const landing = await landingFor((await mint({ legacy: true })).token);
      expect(Date.parse(landing.landedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(landing.expires * 1000 - Date.parse(landing.landedAt)).toBeLessThanOrEqual(30 * 60_000 + 1000);
      // A row kept before landings had a time (they lasted 4 hours) counts from when it was made, too.
      const { handle: _handle, landedAt: _landedAt, ...rest } = landing;
      const handle = (minutesAgo: number) => `legacy${minutesAgo}`.padEnd(20, "x");
      const old = (minutesAgo: number) => ({
        ...rest,
        pk: `MPLANDING#${handle(minutesAgo)}`,
        sk: "LANDING",
        expires: Math.floor(Date.now() / 1000) + 4 * 3600 - minutesAgo * 60,
      });
      for (const minutesAgo of [5, 31]) await db.send(new PutCommand({ TableName: tableName(), Item: old(minutesAgo) }));
      expect(await mp.readLanding(handle(5))).toMatchObject({ productCode: landing.productCode });
      expect(await mp.readLanding(handle(31))).toBeUndefined();
    });

    it("an active marketplace subscription can't be unsubscribed nor its key revoked; rotating keeps the binding", async () => {
      const { user, minted, key } = await buyer();
      expect((await deliver(notification("subscribe-success", minted.customerIdentifier))).outcomes).toEqual(["applied"]);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active", source: "marketplace" });
      const value = await env.lib.revealKey(user.id, key.keyId);
      expect(await env.callApi("weather", value)).toBe(200);

      await expect(env.lib.unsubscribe(user.id, pro.planId)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("AWS Marketplace") });
      await expect(env.lib.revokeKey(user.id, key.keyId)).rejects.toMatchObject({ code: "conflict" });
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(true);

      const rotated = await env.lib.rotateKey(user, key.keyId, "none");
      expect(rotated.key).toMatchObject({ boundPlanId: pro.planId, state: "active" });
      expect(rotated.retired).toBeNull();
      expect((await boundKeys(user.id)).map((k) => [k.keyId, k.customerId])).toEqual([[rotated.key.id, minted.customerIdentifier]]);
      expect(await customerIdOf(rotated.key.id)).toBe(minted.customerIdentifier);
      expect(await env.lib.isKeyInPlan(pro.planId, rotated.key.id)).toBe(true);
      expect(await env.callApi("weather", rotated.value)).toBe(200);
      expect(await env.callApi("weather", value)).toBe(403);

      // The listener now moves the new key.
      const ended = await deliver(notification("unsubscribe-success", minted.customerIdentifier));
      expect(ended).toEqual({ outcomes: ["applied"], calls: ["GetUsage", "DeleteUsagePlanKey"] });
      expect(await env.lib.isKeyInPlan(pro.planId, rotated.key.id)).toBe(false);
      expect(await env.callApi("weather", rotated.value)).toBe(403);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "ended" });
    });

    it("once AWS has ended the subscription, the user can revoke its key and unsubscribe", async () => {
      const { user, minted, key } = await buyer();
      await deliver(notification("subscribe-success", minted.customerIdentifier));
      await deliver(notification("unsubscribe-success", minted.customerIdentifier));
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "ended" });

      // A metered key is the subscription's only while it runs: once AWS has ended it, the user may
      // clean up (lib/access/keys.ts revokeKey). This failed up to 2577c12, which refused every
      // active bound key whatever its subscription's state (a dead key could never be revoked);
      // 222cd96 allows it (isClosedMarketplace).
      await env.lib.revokeKey(user.id, key.keyId);
      expect(await boundKeys(user.id)).toEqual([]);
      expect(await taggedKeys(user.id)).toEqual([]);
      await env.lib.unsubscribe(user.id, pro.planId);
      expect(await subscriptionOf(user.id)).toBeUndefined();
    });

    it("deleting the account unbinds the purchase, so another user can activate it (in the state AWS last reported)", async () => {
      const { user, minted } = await buyer();
      await deliver(notification("subscribe-success", minted.customerIdentifier));
      await env.lib.deleteAccount({ ...user, userPoolId: env.seeded.cognito.userPoolId }, user.email);

      expect(await taggedKeys(user.id)).toEqual([]);
      // Nothing of the buyer's is left but the admin directory's tombstone.
      expect((await partition(user.id)).map((r) => [r.sk, (r as { status?: string }).status])).toEqual([["PROFILE", "deleted"]]);
      const row = await mp.readCustomer(mp.cidKey(minted.customerIdentifier));
      expect(row).toMatchObject({ status: "subscribed" });
      expect(row?.userId).toBeUndefined();
      expect((await mp.readCustomer(mp.accountKey(minted.customerAWSAccountId, PRODUCT_CODE)))?.userId).toBeUndefined();

      const successor = newUser("successor");
      const landing = await landingFor((await mint({ legacy: true, customerAWSAccountId: minted.customerAWSAccountId })).token);
      expect(await mp.activatePurchase(successor, landing, pro)).toMatchObject({ state: "active", source: "marketplace" });
      const [key] = await boundKeys(successor.id);
      expect(key?.customerId).toBe(minted.customerIdentifier);
      expect(await env.lib.isKeyInPlan(pro.planId, key!.keyId)).toBe(true);
      expect(await mp.readCustomer(mp.cidKey(minted.customerIdentifier))).toMatchObject({ userId: successor.id });
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe("SNS lifecycle notifications", () => {
    it("each action moves the subscription and the key; a redelivery or a no-op costs no call", async () => {
      const { user, minted, key } = await buyer();
      const cid = minted.customerIdentifier;
      const value = await env.lib.revealKey(user.id, key.keyId);
      const state = async () => {
        const sub = await subscriptionOf(user.id);
        return { state: sub?.state, notice: noticeKind(sub?.notice), inPlan: await env.lib.isKeyInPlan(pro.planId, key.keyId) };
      };

      expect(await deliver(notification("subscribe-fail", cid))).toEqual({ outcomes: ["applied"], calls: [] });
      expect(await state()).toEqual({ state: "failed", notice: "failure", inPlan: false });

      const success = notification("subscribe-success", cid);
      expect(await deliver(success)).toEqual({ outcomes: ["applied"], calls: ["CreateUsagePlanKey"] });
      expect(await state()).toEqual({ state: "active", notice: undefined, inPlan: true });
      expect(await env.callApi("pets", value)).toBe(200);
      expect(await deliver(success)).toEqual({ outcomes: ["duplicate"], calls: [] });

      // Cancellation pending: a warning, and the key keeps working until AWS completes it.
      const pending = notification("unsubscribe-pending", cid);
      expect(await deliver(pending)).toEqual({ outcomes: ["applied"], calls: [] });
      expect(await state()).toEqual({ state: "active", notice: "cancellation", inPlan: true });
      expect(await env.callApi("pets", value)).toBe(200);
      // The same status again under a new MessageId changes nothing.
      expect(await deliver(notification("unsubscribe-pending", cid))).toEqual({ outcomes: ["unchanged"], calls: [] });
      expect(await deliver(notification("entitlement-updated", cid))).toEqual({ outcomes: ["recorded"], calls: [] });

      // Older integrations say unsubscribe-complete.
      expect(await deliver(notification("unsubscribe-complete", cid))).toEqual({ outcomes: ["applied"], calls: ["GetUsage", "DeleteUsagePlanKey"] });
      expect(await state()).toEqual({ state: "ended", notice: undefined, inPlan: false });
      expect(await env.callApi("pets", value)).toBe(403);
      expect(await deliver(pending)).toEqual({ outcomes: ["duplicate"], calls: [] });
      expect(await mp.readCustomer(mp.cidKey(cid))).toMatchObject({ status: "unsubscribed", userId: user.id });
    });
  });

  describe("EventBridge agreement events", () => {
    it("a new-mode buyer: agreement created → active and metered, replay ignored, agreement ended → ended", async () => {
      const accountId = "345678901234";
      const { user, key } = await buyer({ customerAWSAccountId: accountId });
      const value = await env.lib.revealKey(user.id, key.keyId);
      expect(await env.callApi("pets", value)).toBe(403);

      const created = agreementEvent({
        id: randomUUID(),
        detailType: "Purchase Agreement Created - Manufacturer",
        time: nextTimestamp().replace(/\.\d+Z$/, "Z"),
        accountId,
      });
      expect(await deliver(created)).toEqual({ outcomes: ["applied"], calls: ["CreateUsagePlanKey"] });
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active", source: "marketplace" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(true);
      expect(await env.callApi("pets", value)).toBe(200);
      expect(await mp.readCustomer(mp.accountKey(accountId, PRODUCT_CODE))).toMatchObject({ status: "subscribed", userId: user.id });

      expect(await deliver(created)).toEqual({ outcomes: ["duplicate"], calls: [] });
      // A license update carries no state change.
      const updated = agreementEvent({ id: randomUUID(), detailType: "License Updated - Manufacturer", time: nextTimestamp(), accountId });
      expect(await deliver(updated)).toEqual({ outcomes: ["recorded"], calls: [] });

      const ended = agreementEvent({ id: randomUUID(), detailType: "Purchase Agreement Ended - Manufacturer", time: nextTimestamp(), accountId });
      expect(await deliver(ended)).toEqual({ outcomes: ["applied"], calls: ["GetUsage", "DeleteUsagePlanKey"] });
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "ended" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(false);
      expect(await env.callApi("pets", value)).toBe(403);

      // The creation arriving late again (a new event id, its old time) is stale.
      const late = { ...created, id: randomUUID() };
      expect(await deliver(late)).toEqual({ outcomes: ["stale"], calls: [] });
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "ended" });
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe("messages that are not AWS Marketplace's", () => {
    it("a forged topic ARN is ignored: no rows, no calls, the buyer's state untouched", async () => {
      const { user, minted, key } = await buyer();
      const stranger = customerIdentifiers(1, 7)[0]!;
      const forgedTopic = SUBSCRIPTION_TOPIC.replace("287250355862", "999988887777");
      for (const customerIdentifier of [minted.customerIdentifier, stranger]) {
        const forged = notification("subscribe-success", customerIdentifier, { topicArn: forgedTopic });
        expect(await deliver(forged)).toEqual({ outcomes: ["rejected"], calls: [] });
        expect(await eventMarker(forged.Records[0]!.Sns.MessageId)).toBeUndefined();
      }
      expect(await mp.readCustomer(mp.cidKey(stranger))).toBeUndefined();
      expect((await mp.readCustomer(mp.cidKey(minted.customerIdentifier)))?.status).toBeUndefined();
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "awaiting" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(false);

      // No topics configured: nothing is trusted.
      delete process.env.MARKETPLACE_TOPIC_ARNS;
      const unconfigured = notification("subscribe-success", minted.customerIdentifier);
      expect((await deliver(unconfigured)).outcomes).toEqual(["rejected"]);
      expect(await eventMarker(unconfigured.Records[0]!.Sns.MessageId)).toBeUndefined();
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "awaiting" });
    });

    it("malformed messages are rejected without side effects, and logged without personal data", async () => {
      const { user, minted, key } = await buyer();
      const customerIdentifier = minted.customerIdentifier;
      const accountId = minted.customerAWSAccountId;
      const personal = ["jane.doe@example.com", "Jane Doe", "+1-206-555-0100"];
      const rowBefore = await mp.readCustomer(mp.cidKey(customerIdentifier));
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);

      const sns = (message: string, overrides: Partial<Record<"MessageId" | "Timestamp" | "TopicArn", unknown>> = {}) => {
        const event = snsLambdaEvent({ messageId: randomUUID(), topicArn: SUBSCRIPTION_TOPIC, message, timestamp: nextTimestamp() });
        Object.assign(event.Records[0]!.Sns, overrides);
        return event;
      };
      const body = (fields: Record<string, unknown>) => JSON.stringify(fields);
      const snsCases = [
        sns(`action=subscribe-success&customer-identifier=${customerIdentifier}&email=${personal[0]}`),
        sns(`{"action":"subscribe-success","customer-identifier":"${customerIdentifier}"`),
        sns(body({ "customer-identifier": customerIdentifier, "product-code": PRODUCT_CODE, buyer: personal[1] })),
        sns(body({ action: "subscribe-success", "customer-identifier": customerIdentifier })),
        sns(body({ action: "subscribe-success", "product-code": PRODUCT_CODE, "customer-account-id": accountId })),
        sns(body({ action: "subscribe-maybe", "customer-identifier": customerIdentifier, "product-code": PRODUCT_CODE })),
        sns(body({ action: "subscribe-success", "customer-identifier": `${personal[1]} <${personal[0]}>`, "product-code": PRODUCT_CODE })),
        sns(body({ action: "subscribe-success", "customer-identifier": [customerIdentifier], "product-code": PRODUCT_CODE })),
        sns(body({ action: "subscribe-success", "customer-identifier": customerIdentifier, "product-code": PRODUCT_CODE, note: "x".repeat(10_001) })),
        sns("null"),
        sns(JSON.stringify([customerIdentifier, personal[2]])),
        sns(marketplaceMessage("subscribe-success", customerIdentifier), { Timestamp: `yesterday, ${personal[1]}` }),
        sns(marketplaceMessage("subscribe-success", customerIdentifier), { MessageId: "" }),
        sns(marketplaceMessage("subscribe-success", customerIdentifier), { TopicArn: undefined }),
      ];
      const otherShapes: unknown[] = [
        { Records: [{ EventSource: "aws:sqs", messageId: randomUUID(), body: marketplaceMessage("subscribe-success", customerIdentifier) }] },
        { Records: [null, `subscribe-success ${customerIdentifier}`, 42] },
        { Records: [{ EventSource: "aws:sns", Sns: marketplaceMessage("subscribe-success", customerIdentifier) }] },
        null,
        `subscribe-success ${customerIdentifier} ${personal[0]}`,
        42,
        {},
        { Records: "not a list", customerIdentifier },
        // EventBridge-like, but not an agreement event AWS sends.
        {
          ...agreementEvent({ id: randomUUID(), detailType: "Purchase Agreement Created - Manufacturer", time: nextTimestamp(), accountId }),
          source: "aws.marketplace",
        },
        {
          ...agreementEvent({ id: randomUUID(), detailType: "Purchase Agreement Created - Manufacturer", time: nextTimestamp(), accountId }),
          "detail-type": `Agreement for ${personal[1]}`,
        },
        agreementEvent({
          id: randomUUID(),
          detailType: "Purchase Agreement Created - Manufacturer",
          time: nextTimestamp(),
          accountId: `${accountId}-${personal[0]}`,
        }),
        agreementEvent({
          id: randomUUID(),
          detailType: "Purchase Agreement Created - Manufacturer",
          time: nextTimestamp(),
          accountId,
          productCode: `code with ${personal[1]}`,
        }),
        {
          ...agreementEvent({ id: randomUUID(), detailType: "Purchase Agreement Created - Manufacturer", time: nextTimestamp(), accountId }),
          detail: { acceptor: personal[0] },
        },
        {
          ...agreementEvent({ id: randomUUID(), detailType: "Purchase Agreement Created - Manufacturer", time: nextTimestamp(), accountId }),
          time: "not a time",
        },
      ];

      const results = [];
      for (const event of [...snsCases, ...otherShapes]) results.push(await deliver(event));
      const records = (event: unknown) => {
        const list = (event as { Records?: unknown } | null)?.Records;
        return Array.isArray(list) ? list.length : 1;
      };
      expect(results.map((r) => r.outcomes)).toEqual([...snsCases, ...otherShapes].map((event) => Array(records(event)).fill("rejected")));
      expect(results.flatMap((r) => r.calls)).toEqual([]);
      for (const event of snsCases) {
        const messageId = event.Records[0]!.Sns.MessageId;
        if (messageId) expect(await eventMarker(messageId)).toBeUndefined();
      }
      // Nothing changed for the buyer the messages name.
      expect(await mp.readCustomer(mp.cidKey(customerIdentifier))).toEqual(rowBefore);
      expect(await mp.readCustomer(mp.accountKey(accountId, PRODUCT_CODE))).toMatchObject({ userId: user.id });
      expect((await mp.readCustomer(mp.accountKey(accountId, PRODUCT_CODE)))?.status).toBeUndefined();
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "awaiting" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(false);

      // One line per rejected message, naming the problem, never the content.
      const lines = warn.mock.calls.map((args) => args.map(String).join(" "));
      expect(lines.length).toBe(results.flatMap((r) => r.outcomes).length);
      for (const line of lines) expect(line).toMatch(/^\[marketplace-listener\] rejected a message: /);
      const logged = lines.join("\n");
      for (const secret of [customerIdentifier, accountId, ...personal, "subscribe-maybe", "yesterday"]) expect(logged).not.toContain(secret);
      for (const event of snsCases) if (event.Records[0]!.Sns.Message.length > 20) expect(logged).not.toContain(event.Records[0]!.Sns.Message.slice(0, 40));
    });

    it("a batch with one malformed record still applies the good one", async () => {
      const stranger = customerIdentifiers(1, 11)[0]!;
      const good = notification("subscribe-success", stranger);
      const bad = notification("subscribe-success", stranger, { topicArn: "arn:aws:sns:us-east-1:999988887777:lookalike" });
      vi.spyOn(console, "warn").mockImplementation(() => undefined);
      expect(await deliver({ Records: [bad.Records[0], good.Records[0]] })).toEqual({ outcomes: ["rejected", "recorded"], calls: [] });
      expect(await mp.readCustomer(mp.cidKey(stranger))).toMatchObject({ status: "subscribed", lastEventAt: good.Records[0]!.Sns.Timestamp });
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe("SNS signatures and product codes", () => {
    it("messages signed with SignatureVersion 1 and 2 are applied", async () => {
      const { user, minted } = await buyer();
      expect((await deliver(notification("subscribe-success", minted.customerIdentifier, { signatureVersion: "1" }))).outcomes).toEqual(["applied"]);
      expect((await deliver(notification("unsubscribe-pending", minted.customerIdentifier, { signatureVersion: "2" }))).outcomes).toEqual(["applied"]);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active" });
      expect(noticeKind((await subscriptionOf(user.id))?.notice)).toBe("cancellation");
    });

    it("a tampered, re-signed or wrongly certified message is rejected before it is applied, and logged without its content", async () => {
      const { user, minted, key } = await buyer();
      const cid = minted.customerIdentifier;
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      const tampered = (change: (sns: Record<string, unknown>) => void) => {
        // A genuine, signed subscribe-fail for a stranger, then altered.
        const event = notification("subscribe-fail", customerIdentifiers(1, 23)[0]!);
        change(event.Records[0]!.Sns as unknown as Record<string, unknown>);
        return event;
      };
      const signedSuccess = notification("subscribe-success", cid);
      const otherKey = createSnsSigner();
      const cases = {
        message: tampered((sns) => (sns.Message = marketplaceMessage("subscribe-success", cid))),
        topic: tampered((sns) => (sns.TopicArn = ENTITLEMENT_TOPIC)),
        messageId: tampered((sns) => (sns.MessageId = randomUUID())),
        subject: tampered((sns) => (sns.Subject = "added later")),
        version: tampered((sns) => (sns.SignatureVersion = "2")),
        otherKey: tampered((sns) => {
          sns.Message = marketplaceMessage("subscribe-success", cid);
          sns.Signature = otherKey.sign(sns as never, "1");
        }),
        // A replay of a genuine message under a new MessageId, to get past the dedupe.
        replay: tampered((sns) => Object.assign(sns, { ...signedSuccess.Records[0]!.Sns, MessageId: randomUUID() })),
        untrustedOrigin: tampered((sns) => (sns.SigningCertUrl = `http://127.0.0.1:9/${otherKey.fileName}`)),
        foreignHost: tampered((sns) => (sns.SigningCertUrl = `https://sns.us-east-1.amazonaws.com.example.net/${otherKey.fileName}`)),
      };
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      for (const [name, event] of Object.entries(cases)) {
        expect({ name, ...(await deliver(event)) }).toEqual({ name, outcomes: ["rejected"], calls: [] });
        expect(await eventMarker(event.Records[0]!.Sns.MessageId)).toBeUndefined();
      }
      // Nothing was fetched from the URLs that aren't the trusted origin's (the listener's own certificate was cached already).
      expect(fetchSpy.mock.calls.map(([url]) => String(url)).filter((url) => !url.startsWith(signing.origin))).toEqual([]);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "awaiting" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(false);

      const lines = warn.mock.calls.map((args) => args.map(String).join(" "));
      expect(lines).toHaveLength(Object.keys(cases).length);
      expect(lines.filter((line) => line.includes("signature does not verify"))).toHaveLength(7);
      expect(lines.filter((line) => line.includes("signing certificate is not"))).toHaveLength(2);
      for (const secret of [cid, "added later", otherKey.fileName, "example.net"]) expect(lines.join("\n")).not.toContain(secret);

      // The genuine message still applies.
      expect((await deliver(signedSuccess)).outcomes).toEqual(["applied"]);
    });

    it("a product code that is not the topic's product is rejected", async () => {
      const { user, minted } = await buyer();
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      for (const topicArn of [SUBSCRIPTION_TOPIC, ENTITLEMENT_TOPIC]) {
        const event = notification("subscribe-success", minted.customerIdentifier, { topicArn, productCode: "prod-someone-else" });
        expect(await deliver(event)).toEqual({ outcomes: ["rejected"], calls: [] });
        expect(await eventMarker(event.Records[0]!.Sns.MessageId)).toBeUndefined();
      }
      // A configured topic that is not named after a product can't vouch for any product code.
      process.env.MARKETPLACE_TOPIC_ARNS = `${TOPIC_ARNS},arn:aws:sns:us-east-1:287250355862:marketplace-notifications`;
      const unnamed = notification("subscribe-success", minted.customerIdentifier, {
        topicArn: "arn:aws:sns:us-east-1:287250355862:marketplace-notifications",
      });
      expect(await deliver(unnamed)).toEqual({ outcomes: ["rejected"], calls: [] });
      expect(warn.mock.calls.map((args) => String(args[0]))).toEqual(
        Array(3).fill("[marketplace-listener] rejected a message: product-code is not the product of the topic"),
      );
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "awaiting" });
    });

    it("a signing certificate that can't be fetched now throws, so AWS delivers again, and the redelivery applies", async () => {
      const { user, minted } = await buyer();
      const event = notification("subscribe-success", minted.customerIdentifier);
      const sns = event.Records[0]!.Sns;
      const certUrl = sns.SigningCertUrl;
      sns.SigningCertUrl = `${signing.origin}/SimpleNotificationService-00000000000000000000000000000000.pem`;
      await expect(deliver(event)).rejects.toThrow(/HTTP 404/);
      expect(await eventMarker(sns.MessageId)).toBeUndefined();
      sns.SigningCertUrl = certUrl;
      expect((await deliver(event)).outcomes).toEqual(["applied"]);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active" });
    });

    it("end to end: the sandbox publishes to the product's topic, signs (SignatureVersion 1, then 2), delivers, and the listener verifies and applies", async () => {
      const { user, minted, key } = await buyer();
      const notify = async (action: SnsAction) => {
        const response = await fetch(`${env.sandbox.url}/_sandbox/marketplace/notify`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ action, customerIdentifier: minted.customerIdentifier, productCode: PRODUCT_CODE }),
        });
        expect(response.status).toBe(200);
        const published = (await response.json()) as { topicArn: string; delivered: number };
        expect(published.delivered).toBe(1);
        const drained = (await (await fetch(`${env.sandbox.url}/_sandbox/sns/drain`, { method: "POST" })).json()) as { deliveries: { ok: boolean }[] };
        expect(drained.deliveries).toMatchObject([{ ok: true }]);
        return published.topicArn;
      };
      const topicArn = await notify("subscribe-success");
      expect(topicArn).toBe(`arn:aws:sns:us-east-1:000000000000:aws-mp-subscription-notification-${PRODUCT_CODE}`);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(true);

      const sns = new SNSClient(sdkConfig(env.sandbox));
      await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "SignatureVersion", AttributeValue: "2" }));
      sns.destroy();
      await notify("unsubscribe-success");
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "ended" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(false);
    });
  });

  describe("failures and concurrency", () => {
    it("a transition that failed part-way (API Gateway unavailable) is applied when AWS delivers the message again", async () => {
      const { user, minted, key } = await buyer();
      const event = notification("subscribe-success", minted.customerIdentifier);
      await env.faults({ errorRate: 1 });
      await expect(deliver(event)).rejects.toMatchObject({ code: "unavailable" });
      await env.faults(null);
      expect(await eventMarker(event.Records[0]!.Sns.MessageId)).toBeUndefined();

      // AWS redelivers the same MessageId after a failed invocation.
      const again = await deliver(event);
      // The first attempt recorded the status but couldn't apply it; the redelivery (same time)
      // finishes the job instead of being dropped as stale.
      expect(again.outcomes).toEqual(["applied"]);
      expect(await subscriptionOf(user.id)).toMatchObject({ state: "active" });
      expect(await env.lib.isKeyInPlan(pro.planId, key.keyId)).toBe(true);
    });

    it("two events for one buyer waiting on the buyer's lease together end in the newer one's state", async () => {
      // A dashboard action holds the user's lease while AWS delivers subscribe-success and, moments
      // later, unsubscribe-success. Both record their status; then both wait for the lease.
      const buyers = await Promise.all(Array.from({ length: 4 }, () => buyer()));
      const outcomes = await Promise.all(
        buyers.map(async ({ user, minted }) => {
          const older = notification("subscribe-success", minted.customerIdentifier);
          const newer = notification("unsubscribe-success", minted.customerIdentifier);
          const recorded = async (event: typeof older) => {
            while ((await mp.readCustomer(mp.cidKey(minted.customerIdentifier)))?.lastEventAt !== event.Records[0]!.Sns.Timestamp) await sleep(5);
          };
          let deliveries: Promise<{ outcomes: string[] }>[] = [];
          await withUserLock(user.id, "test-holds-the-lease", async () => {
            const first = deliver(older);
            await recorded(older);
            await sleep(4_000);
            const second = deliver(newer);
            await recorded(newer);
            deliveries = [first, second];
          });
          return (await Promise.all(deliveries)).flatMap((d) => d.outcomes);
        }),
      );
      // Both were taken (neither rejected nor a duplicate), and at least one changed the subscription.
      for (const pair of outcomes) {
        expect(pair.filter((o) => !["applied", "unchanged", "stale"].includes(o))).toEqual([]);
        expect(pair).toContain("applied");
      }

      const states = [];
      for (const { user, key, minted } of buyers) {
        states.push({
          row: (await mp.readCustomer(mp.cidKey(minted.customerIdentifier)))?.status,
          subscription: (await subscriptionOf(user.id))?.state,
          inPlan: await env.lib.isKeyInPlan(pro.planId, key.keyId),
        });
      }
      // Whichever waiter gets the lease last, it applies the buyer's newest status, not its own.
      expect(states).toEqual(buyers.map(() => ({ row: "unsubscribed", subscription: "ended", inPlan: false })));
    }, 60_000);
  });

  // ---------------------------------------------------------------------------------------------

  describe("the issue's acceptance", () => {
    const CUSTOMERS = 500;
    const REGISTERED = 50;
    const EVENTS = 10_000;
    const DUPLICATES = 0.3;
    const CONCURRENCY = 20;
    const SEED = Number(process.env.MARKETPLACE_STREAM_SEED ?? 20_240_611);

    it(`${EVENTS} events for ${CUSTOMERS} customers, ${DUPLICATES * 100} % duplicates, shuffled, end in the state of each customer's last event`, async () => {
      // 50 buyers register before anything arrives; two more land (their token is resolved) but
      // only sign up after the stream; the rest never do.
      const minted = await Promise.all(Array.from({ length: REGISTERED + 2 }, () => mint({ legacy: true })));
      const registered = new Map<string, { user: ReturnType<typeof newUser>; keyId: string }>();
      const activationFailures = await pool(minted.slice(0, REGISTERED), 5, async (m) => {
        const user = newUser("stream");
        await mp.activatePurchase(user, await landingFor(m.token), pro);
        const [key] = await boundKeys(user.id);
        registered.set(m.customerIdentifier, { user, keyId: key!.keyId });
      });
      expect(activationFailures).toEqual([]);
      const [lateActive, lateEnded] = [minted[REGISTERED]!, minted[REGISTERED + 1]!];
      const lateLandings = new Map([
        [lateActive, await landingFor(lateActive.token)],
        [lateEnded, await landingFor(lateEnded.token)],
      ]);
      const customers = [...minted.map((m) => m.customerIdentifier), ...customerIdentifiers(CUSTOMERS - minted.length, SEED)];
      expect(new Set(customers).size).toBe(CUSTOMERS);

      const stream = generateStream({
        customers,
        total: EVENTS,
        duplicateShare: DUPLICATES,
        seed: SEED,
        // AWS's notifications follow the purchase the buyers landed with: from now on, a second apart per customer.
        start: Date.now(),
        spacingMs: 1_000,
        finalAction: new Map<string, SnsAction>([
          [lateActive.customerIdentifier, "subscribe-success"],
          [lateEnded.customerIdentifier, "unsubscribe-success"],
        ]),
      });
      expect(stream.deliveries).toHaveLength(EVENTS);
      expect(stream.deliveries.filter((d) => d.redelivery)).toHaveLength(EVENTS * DUPLICATES);

      env.lib.resetControlPlaneStats();
      await fetch(`${env.sandbox.url}/_sandbox/apigateway/calls`, { method: "DELETE" });
      const results: { outcome: string; calls: string[] }[] = new Array(EVENTS);
      const started = performance.now();
      const failures = await pool(stream.deliveries, CONCURRENCY, async ({ event }, i) => {
        const { outcomes, calls } = await deliver(snsEventFor(event));
        results[i] = { outcome: outcomes.join(","), calls };
      });
      const seconds = (performance.now() - started) / 1000;
      expect(failures).toEqual([]);

      const byOutcome: Record<string, number> = {};
      for (const r of results) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
      console.info(
        `[marketplace acceptance] ${EVENTS} events in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds)}/s), seed ${SEED}: ${JSON.stringify(byOutcome)}`,
      );
      expect(Object.keys(byOutcome).sort()).toEqual(expect.arrayContaining(["applied", "duplicate", "recorded", "stale"]));
      expect(byOutcome.rejected).toBeUndefined();

      // Control-plane calls: none for duplicates, stale or recorded events; for an applied one at
      // most the bound key joining the plan, or leaving it after one GetUsage that keeps its history.
      const TRANSITIONS = [[], ["CreateUsagePlanKey"], ["GetUsage", "DeleteUsagePlanKey"]].map((calls) => calls.join());
      const offending = results.flatMap((r, i) => {
        const delivery = stream.deliveries[i]!;
        const ok = r.outcome === "applied" ? TRANSITIONS.includes(r.calls.join()) : r.calls.length === 0;
        return ok ? [] : [{ i, outcome: r.outcome, redelivery: delivery.redelivery, calls: r.calls }];
      });
      const membership = (r: { calls: string[] }) => r.calls.filter((c) => MEMBERSHIP_CALLS.has(c));
      expect(offending).toEqual([]);
      const redeliveryCalls = results.filter((_, i) => stream.deliveries[i]!.redelivery).reduce((sum, r) => sum + membership(r).length, 0);
      const perMessage = new Map<string, number>();
      results.forEach((r, i) => {
        const { event } = stream.deliveries[i]!;
        if (EXPECTED[event.action] && (r.outcome === "applied" || r.outcome === "recorded"))
          perMessage.set(event.messageId, (perMessage.get(event.messageId) ?? 0) + 1);
      });
      // Each message takes effect once, whichever of its copies gets there first.
      expect([...perMessage.values()].filter((n) => n > 1)).toEqual([]);
      // Any calls made by a redelivery were made instead of (not as well as) its original.
      const callsByMessage = new Map<string, number>();
      results.forEach((r, i) =>
        callsByMessage.set(stream.deliveries[i]!.event.messageId, (callsByMessage.get(stream.deliveries[i]!.event.messageId) ?? 0) + membership(r).length),
      );
      expect([...callsByMessage.values()].filter((n) => n > 1)).toEqual([]);

      const membershipCalls = new Map<string, { joins: number; leaves: number }>();
      results.forEach((r, i) => {
        const moves = membershipCalls.get(stream.deliveries[i]!.event.customerIdentifier) ?? { joins: 0, leaves: 0 };
        for (const call of membership(r)) moves[call === "CreateUsagePlanKey" ? "joins" : "leaves"]++;
        membershipCalls.set(stream.deliveries[i]!.event.customerIdentifier, moves);
      });
      const attributed = results.reduce((sum, r) => sum + r.calls.length, 0);
      const transitions = results.reduce((sum, r) => sum + membership(r).length, 0);
      const kept = results.reduce((sum, r) => sum + r.calls.filter((c) => c === "GetUsage").length, 0);
      // Every GetUsage kept the history of a key that then left its plan.
      expect(kept).toBe([...membershipCalls.values()].reduce((sum, m) => sum + m.leaves, 0));
      const inProcess = Object.values(env.lib.getControlPlaneStats().calls).reduce((a, b) => a + b, 0);
      const sandboxCounted = (await (await fetch(`${env.sandbox.url}/_sandbox/apigateway/calls`)).json()) as { calls: Record<string, number> };
      expect(inProcess).toBe(attributed);
      expect(Object.values(sandboxCounted.calls).reduce((a, b) => a + b, 0)).toBe(attributed);
      expect(transitions).toBeLessThanOrEqual(byOutcome.applied ?? 0);
      console.info(
        `[marketplace acceptance] control-plane calls: ${transitions} membership changes (+${kept} GetUsage keeping history) for ${byOutcome.applied ?? 0} applied transitions, ${redeliveryCalls} made by redeliveries`,
      );

      // The end state: the last event (by Timestamp) per customer decides.
      const mismatches: unknown[] = [];
      for (const customerIdentifier of customers) {
        const last = stream.last.get(customerIdentifier);
        const expected = last && EXPECTED[last.action];
        const row = await mp.readCustomer(mp.cidKey(customerIdentifier));
        const bound = registered.get(customerIdentifier);
        const rowOk = expected ? row?.status === expected.status && row.lastEventAt === last.timestamp : row?.status === undefined;
        if (!rowOk || row?.userId !== bound?.user.id) mismatches.push({ customerIdentifier, expected: expected?.status, at: last?.timestamp, row });
        if (!bound) continue;
        const subscription = await subscriptionOf(bound.user.id);
        const inPlan = await env.lib.isKeyInPlan(pro.planId, bound.keyId);
        const want = { state: expected?.state ?? "awaiting", notice: expected?.notice ?? null, inPlan: expected?.inPlan ?? false };
        const got = { state: subscription?.state, notice: noticeKind(subscription?.notice) ?? null, inPlan };
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ customerIdentifier, userId: bound.user.id, last: last?.action, want, got });
        // The key started outside the plan, so its joins and leaves alternate: one more join than
        // leaves exactly when it ends inside — no call was spent on a non-change.
        const moves = membershipCalls.get(customerIdentifier) ?? { joins: 0, leaves: 0 };
        if (moves.joins - moves.leaves !== (inPlan ? 1 : 0)) mismatches.push({ customerIdentifier, inPlan, ...moves });
      }
      expect(mismatches).toEqual([]);

      // The two late buyers register now: what waited on their rows applies at once.
      for (const [m, want] of [
        [lateActive, { state: "active", inPlan: true, api: 200 }],
        [lateEnded, { state: "ended", inPlan: false, api: 403 }],
      ] as const) {
        const user = newUser("late");
        expect(await mp.readCustomer(mp.cidKey(m.customerIdentifier))).toMatchObject({ status: want.state === "active" ? "subscribed" : "unsubscribed" });
        expect(await mp.activatePurchase(user, lateLandings.get(m)!, pro)).toMatchObject({ state: want.state, source: "marketplace" });
        const [key] = await boundKeys(user.id);
        expect(await env.lib.isKeyInPlan(pro.planId, key!.keyId)).toBe(want.inPlan);
        expect(await customerIdOf(key!.keyId)).toBe(m.customerIdentifier);
        expect(await env.callApi("weather", await env.lib.revealKey(user.id, key!.keyId))).toBe(want.api);
      }
    }, 240_000);
  });

  // ---------------------------------------------------------------------------------------------

  describe("afterwards", () => {
    it("the reconciler finds no drift between the marketplace users' rows and API Gateway", async () => {
      const report = await env.lib.reconcile({ dryRun: true, ratePerSecond: 1_000 });
      expect(report.users).toBeGreaterThanOrEqual(50);
      expect(report.keys).toBeGreaterThanOrEqual(50);
      expect(report.drift).toEqual([]);
    });
  });
});
