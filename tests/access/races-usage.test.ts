import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser, startAccessSandbox } from "./setup";

describe("races, usage and budget", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  beforeAll(async () => {
    env = await startAccessSandbox();
  });
  afterAll(() => env.stop());

  it("20 concurrent subscribes leave one subscription and one plan membership per key", async () => {
    const { lib, target } = env;
    const user = newUser();
    const keys = [await lib.createKey(user, "a"), await lib.createKey(user, "b")];
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => lib.subscribe(user, target("free"))));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(new Set(results.map((r) => (r as PromiseFulfilledResult<{ createdAt: string }>).value.createdAt)).size).toBe(1);
    expect((await lib.listSubscriptions(user.id)).map((s) => s.planId)).toEqual([target("free").planId]);
    const members = await lib.listPlanKeyIds(target("free").planId);
    for (const { key } of keys) expect(members.filter((id) => id === key.id)).toHaveLength(1);
  });

  it("10 concurrent key creations respect the maximum of 5", async () => {
    const { lib } = env;
    const user = newUser();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => lib.createKey(user, `key ${i}`)));
    const created = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(created).toHaveLength(5);
    expect(refused.map((r) => r.reason.code)).toEqual(Array(5).fill("conflict"));
    expect(await lib.listKeys(user.id)).toHaveLength(5);
    const tagged = (await lib.listApiKeys()).filter((k) => k.tags["portico:user"] === user.id);
    expect(tagged).toHaveLength(5);
  });

  it("double-clicked create with the same name makes one key", async () => {
    const { lib } = env;
    const user = newUser();
    const results = await Promise.allSettled([lib.createKey(user, "same"), lib.createKey(user, "same")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await lib.listKeys(user.id)).toHaveLength(1);
  });

  it("usage shows real calls per key; finished days are stored and never refetched", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const a = await lib.createKey(user, "a");
    const b = await lib.createKey(user, "b");
    const free = env.catalog.products.find((p) => p.slug === "free")!.plan;
    await lib.subscribe(user, target("free"));
    for (let i = 0; i < 3; i++) expect(await callApi("pets", a.value)).toBe(200);
    expect(await callApi("pets", b.value)).toBe(200);

    lib.resetControlPlaneStats();
    const usage = await lib.getPlanUsage(user.id, free.id, 30, { plan: free });
    expect(usage.keys.map((k) => [k.keyName, k.days.length, k.days.at(-1)!.used])).toEqual([
      ["a", 30, 3],
      ["b", 30, 1],
    ]);
    expect(usage.quota).toEqual(free.quota);
    expect(usage.periodUsed).toBe(4);
    expect(usage.periodShare).toBeCloseTo(3 / 1000);
    expect(lib.getControlPlaneStats().calls).toEqual({ GetUsage: 2 });

    // Warm: the same view within a minute makes no calls, even for the 7-day range.
    lib.resetControlPlaneStats();
    await lib.getPlanUsage(user.id, free.id, 7, { plan: free });
    expect(lib.getControlPlaneStats().calls).toEqual({});

    // Two days later: the finished days are kept; only the unfinished ones are asked for.
    const later = Date.now() + 2 * 86_400_000;
    lib.resetControlPlaneStats();
    const afterwards = await lib.getPlanUsage(user.id, free.id, 30, { plan: free, now: later });
    expect(lib.getControlPlaneStats().calls).toEqual({ GetUsage: 2 });
    const today = new Date().toISOString().slice(0, 10);
    expect(afterwards.keys[0]!.days.find((d) => d.day === today)?.used).toBe(3);
    const rows = await lib.queryAll<{ keyId: string; final: Record<string, number> }>({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :usage)",
      ExpressionAttributeValues: { ":pk": `USER#${user.id}`, ":usage": "USAGE#" },
    });
    expect(Object.fromEntries(rows.map((r) => [r.keyId, r.final[today]]))).toEqual({ [a.key.id]: 3, [b.key.id]: 1 });

    // A CSV a spreadsheet can't mistake for formulas.
    const csv = lib.usageCsv(usage);
    expect(csv.split("\n")[0]).toBe("day,product,key_name,key_id,key_status,requests");
    expect(csv).toContain(`${today},Free,a,${a.key.id},active,3`);
  });

  it("usage fetched while the account is deleted is not stored in its partition afterwards", async () => {
    const { lib, target, seeded, callApi, faults } = env;
    const user = newUser("gone-viewing");
    const { value } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    expect(await callApi("pets", value)).toBe(200);
    const free = env.catalog.products.find((p) => p.slug === "free")!.plan;
    // API Gateway answers slowly: the account goes while the view is still asking for its usage.
    await faults({ latencyMs: 600 });
    try {
      const view = lib.getPlanUsage(user.id, free.id, 7, { plan: free, refresh: true });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await lib.removeAccount({ ...user, userPoolId: seeded.cognito.userPoolId });
      await view;
    } finally {
      await faults(null);
    }
    const rows = await lib.queryAll<{ sk: string }>({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :usage)",
      ExpressionAttributeValues: { ":pk": `USER#${user.id}`, ":usage": "USAGE#" },
    });
    expect(rows).toEqual([]);
  });

  it("a user who asks for a refresh gets fresh numbers, at most every 10 seconds", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const a = await lib.createKey(user, "a");
    const free = env.catalog.products.find((p) => p.slug === "free")!.plan;
    await lib.subscribe(user, target("free"));
    await lib.getPlanUsage(user.id, free.id, 7, { plan: free });
    await callApi("pets", a.value);
    expect((await lib.getPlanUsage(user.id, free.id, 7, { plan: free, refresh: true })).keys[0]!.days.at(-1)!.used).toBe(0);
    const soon = Date.now() + 11_000;
    expect((await lib.getPlanUsage(user.id, free.id, 7, { plan: free, refresh: true, now: soon })).keys[0]!.days.at(-1)!.used).toBe(1);
  });
});
