import { APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteUsagePlanKeyCommand } from "@aws-sdk/client-api-gateway";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkConfig } from "../sandbox/harness";
import { newUser, startAccessSandbox } from "./setup";

describe("the reconciler and control-plane failures", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  let console_: APIGatewayClient;
  beforeAll(async () => {
    env = await startAccessSandbox();
    console_ = new APIGatewayClient(sdkConfig(env.sandbox));
  });
  afterAll(() => env.stop());

  async function driftFor(userId: string) {
    return (await env.lib.reconcile({ dryRun: true, ratePerSecond: 1000 })).drift.filter((d) => d.userId === userId);
  }

  it("repairs drift made by hand in the console and by a crash", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const gone = await lib.createKey(user, "deleted in console");
    const kept = await lib.createKey(user, "removed from plan");
    const extra = await lib.createKey(user, "added to another plan");
    await lib.subscribe(user, target("free"));
    expect(await driftFor(user.id)).toEqual([]);

    // Someone edits API Gateway by hand…
    await console_.send(new DeleteApiKeyCommand({ apiKey: gone.key.id }));
    await console_.send(new DeleteUsagePlanKeyCommand({ usagePlanId: target("free").planId, keyId: kept.key.id }));
    await console_.send(new CreateUsagePlanKeyCommand({ usagePlanId: target("weather-basic").planId, keyId: extra.key.id, keyType: "API_KEY" }));
    // …and a crash left a tagged key that never got its row (backdated past the orphan grace period).
    const orphan = await console_.send(new CreateApiKeyCommand({ name: "orphan", enabled: true, tags: { "portico:user": user.id } }));

    const later = new Date(Date.now() + 15 * 60_000);
    const dry = await lib.reconcile({ dryRun: true, now: later, ratePerSecond: 1000 });
    expect(
      dry.drift
        .filter((d) => d.userId === user.id)
        .map((d) => [d.kind, d.keyId])
        .sort(),
    ).toEqual(
      [
        ["extra-plan-key", extra.key.id],
        ["missing-key", gone.key.id],
        ["missing-plan-key", kept.key.id],
        ["orphan-key", orphan.id!],
      ].sort(),
    );
    expect(await callApi("pets", kept.value)).toBe(403);

    const report = await lib.reconcile({ now: later, ratePerSecond: 1000 });
    expect(report.failed).toEqual([]);
    expect(report.fixed.filter((d) => d.userId === user.id)).toHaveLength(4);
    expect(await callApi("pets", kept.value)).toBe(200);
    expect(await callApi("weather", extra.value)).toBe(403);
    expect((await lib.listKeys(user.id)).map((k) => k.name).sort()).toEqual(["added to another plan", "removed from plan"]);
    expect((await lib.listApiKeys()).some((k) => k.id === orphan.id)).toBe(false);
    expect((await lib.reconcile({ dryRun: true, now: later, ratePerSecond: 1000 })).drift.filter((d) => d.userId === user.id)).toEqual([]);
  });

  it("moves a key stuck in the wrong plan of a stage: out of it first, then into the right one", async () => {
    // Found by the model test: a switch whose undo failed left a key in Free while its rows say Pro.
    const { lib, target, callApi } = env;
    const user = newUser();
    const { key, value } = await lib.createKey(user, "k");
    await lib.subscribe(user, target("pro"));
    await console_.send(new DeleteUsagePlanKeyCommand({ usagePlanId: target("pro").planId, keyId: key.id }));
    await console_.send(new CreateUsagePlanKeyCommand({ usagePlanId: target("free").planId, keyId: key.id, keyType: "API_KEY" }));
    const report = await lib.reconcile({ ratePerSecond: 1000 });
    expect(report.failed.filter((d) => d.userId === user.id)).toEqual([]);
    expect(report.fixed.filter((d) => d.userId === user.id).map((d) => d.kind)).toEqual(["extra-plan-key", "missing-plan-key"]);
    expect(await lib.isKeyInPlan(target("pro").planId, key.id)).toBe(true);
    expect(await callApi("weather", value)).toBe(200);
  });

  it("a key deleted in the console keeps the usage already kept; viewing and revoking it don't fail", async () => {
    const { lib, target, callApi, catalog } = env;
    const free = catalog.products.find((p) => p.slug === "free")!.plan;
    const user = newUser();
    const { key, value } = await lib.createKey(user, "k");
    await lib.subscribe(user, target("free"));
    for (let i = 0; i < 2; i++) expect(await callApi("pets", value)).toBe(200);
    const total = async (refresh: boolean) =>
      (await lib.getPlanUsage(user.id, free.id, 7, { plan: free, refresh, now: Date.now() + (refresh ? 60_000 : 0) })).keys
        .flatMap((k) => k.days)
        .reduce((sum, d) => sum + d.used, 0);
    expect(await total(false)).toBe(2);
    await console_.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    expect(await total(true)).toBe(2);
    await lib.revokeKey(user.id, key.id);
    expect(await total(true)).toBe(2);
  });

  it("a revoke that API Gateway fails after disabling the key still stops it at once, and the sweeper finishes it", async () => {
    const { lib, target, callApi, faults, catalog } = env;
    const pro = catalog.products.find((p) => p.slug === "pro")!.plan;
    const user = newUser();
    const { key, value } = await lib.createKey(user, "leaked");
    await lib.subscribe(user, target("pro"));
    for (let i = 0; i < 3; i++) expect(await callApi("pets", value)).toBe(200);
    // UpdateApiKey (disable) goes through; then GetUsage fails for good.
    await faults({ passNext: 1, errorNext: 12 });
    try {
      await lib.revokeKey(user.id, key.id);
    } finally {
      await faults(null);
    }
    expect(await callApi("pets", value)).toBe(403);
    expect((await lib.listKeys(user.id)).map((k) => [k.id, k.state])).toEqual([[key.id, "retiring"]]);
    const report = await lib.sweepRetiredKeys(new Date(), { ratePerSecond: 1_000, limit: 10_000 });
    expect(report.retired).toContain(key.id);
    expect(await lib.listKeys(user.id)).toEqual([]);
    const usage = await lib.getPlanUsage(user.id, pro.id, 7, { plan: pro, refresh: true });
    expect(usage.keys.map((k) => [k.keyId, k.status, k.days.at(-1)!.used])).toEqual([[key.id, "gone", 3]]);
  });

  it("finishes a plan switch that crashed between its two writes", async () => {
    const { lib, target, seeded } = env;
    const user = newUser();
    await lib.createKey(user, "k");
    await lib.subscribe(user, target("free"));
    await lib.subscribe(user, target("pro"), { ends: [target("free").planId] });
    // Put back the Free row the switch deleted and the `replaces` it then cleared, as if the process had died before deleting it.
    const { db } = await import("@/lib/db/client");
    const { UpdateCommand } = await import("@aws-sdk/lib-dynamodb");
    const free = target("free");
    await db.send(
      new UpdateCommand({
        TableName: seeded.table,
        Key: { pk: `USER#${user.id}`, sk: `SUB#${target("pro").planId}` },
        UpdateExpression: "SET #r = :r",
        ExpressionAttributeNames: { "#r": "replaces" },
        ExpressionAttributeValues: { ":r": [free.planId] },
      }),
    );
    await db.send(
      new PutCommand({
        TableName: seeded.table,
        Item: {
          pk: `USER#${user.id}`,
          sk: `SUB#${free.planId}`,
          userId: user.id,
          planId: free.planId,
          productSlug: "free",
          productName: "Free",
          state: "active",
          createdAt: "2026-01-01T00:00:00.000Z",
          apiStages: free.apiStages.map((s) => `${s.apiId}/${s.stage}`),
        },
      }),
    );
    expect((await driftFor(user.id)).map((d) => d.kind)).toEqual(["unfinished-switch"]);
    await lib.reconcile({ ratePerSecond: 1000 });
    expect((await lib.listSubscriptions(user.id)).map((s) => s.productSlug)).toEqual(["pro"]);
    expect(await driftFor(user.id)).toEqual([]);
  });

  it("a finished switch leaves nothing for the reconciler to end when the replaced plan is bought on AWS Marketplace (found by the model test)", async () => {
    const { lib, target } = env;
    const user = newUser();
    await lib.createKey(user, "k");
    await lib.subscribe(user, target("pro"));
    await lib.subscribe(user, target("free"), { ends: [target("pro").planId] });
    const rows = (await lib.readUserAccess(user.id)).subscriptions;
    expect(rows.map((s) => [s.productSlug, s.replaces])).toEqual([["free", undefined]]);
    // Even a row still naming Pro (written before this fix) can't end a Marketplace subscription to it.
    const { driftOf } = await import("@/lib/access/reconciler");
    const marketplacePro = {
      ...rows[0]!,
      sk: `SUB#${target("pro").planId}`,
      planId: target("pro").planId,
      source: "marketplace" as const,
      replaces: undefined,
    };
    const access = { keys: [], subscriptions: [{ ...rows[0]!, replaces: [target("pro").planId] }, marketplacePro] };
    expect(driftOf(user.id, access, { takenAt: Date.now(), keys: new Map(), planKeys: new Map() }, Date.now())).toEqual([]);
  });

  it("with 30 % of control-plane requests throttled, the journey completes or says 'try again', and nothing is left half-done", async () => {
    const { lib, target, callApi, faults } = env;
    const user = newUser("throttled");
    const messages: string[] = [];
    /** What a person does: on "try again in a moment", try again. */
    async function persist<T>(step: () => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await step();
        } catch (error) {
          const e = error as { code?: string; message: string };
          if (e.code !== "unavailable" || attempt >= 10) throw error;
          expect(e.message).toMatch(/try again in a moment/);
          messages.push(e.message);
        }
      }
    }
    await faults({ throttleRate: 0.3 });
    lib.resetControlPlaneStats();
    try {
      const first = await persist(() => lib.createKey(user, "first"));
      await persist(() => lib.subscribe(user, target("free")));
      const rotated = await persist(() => lib.rotateKey(user, first.key.id, "1h"));
      await persist(() => lib.subscribe(user, target("pro"), { ends: [target("free").planId] }));
      await persist(() => lib.getPlanUsage(user.id, target("pro").planId, 30));
      await persist(() => lib.unsubscribe(user.id, target("pro").planId));
      await persist(() => lib.createKey(user, "second"));
      await persist(() => lib.subscribe(user, target("free")));
      await faults(null);
      // The faults were real: the client retried (more HTTP requests than calls).
      const { calls, requests } = lib.getControlPlaneStats();
      const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(total(requests)).toBeGreaterThan(total(calls));
      expect(await callApi("pets", rotated.value)).toBe(200);
      expect(await callApi("weather", rotated.value)).toBe(403);
    } finally {
      await faults(null);
    }
    // Whatever the retries did, the rows and API Gateway agree (and the reconciler keeps it so).
    await lib.reconcile({ ratePerSecond: 1000 });
    expect(await driftFor(user.id)).toEqual([]);
    expect((await lib.listSubscriptions(user.id)).map((s) => s.productSlug)).toEqual(["free"]);
    const tagged = (await lib.listApiKeys())
      .filter((k) => k.tags["portico:user"] === user.id)
      .map((k) => k.id)
      .sort();
    expect(tagged).toEqual((await lib.listKeys(user.id)).map((k) => k.id).sort());
    console.log(`30 % throttling: ${messages.length} "try again" messages seen over the journey`);
  });
});
