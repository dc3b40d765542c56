import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUser, startAccessSandbox } from "./setup";

describe("keys and subscriptions against the sandbox", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  beforeAll(async () => {
    env = await startAccessSandbox();
  });
  afterAll(() => env.stop());

  it("creates named keys on demand, tagged with the owner, and shows the value once", async () => {
    const { lib } = env;
    const user = newUser();
    expect(await lib.listKeys(user.id)).toEqual([]);
    const { key, value } = await lib.createKey(user, "ci server");
    expect(value).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(key).toMatchObject({ name: "ci server", hint: value.slice(-4), state: "active" });
    expect(JSON.stringify(await lib.listKeys(user.id))).not.toContain(value);
    expect(await lib.revealKey(user.id, key.id)).toBe(value);
    const inGateway = (await lib.listApiKeys()).find((k) => k.id === key.id)!;
    expect(inGateway.tags).toMatchObject({ "portico:user": user.id, "portico:email": user.email, "portico:key-name": "ci server" });
    expect(inGateway.name).toContain(user.email);
    await expect(lib.createKey(user, "CI Server")).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already have a key named") });
  });

  it("renames a key in the portal and in API Gateway; names stay unique among active keys", async () => {
    const { lib } = env;
    const user = newUser();
    const { key } = await lib.createKey(user, "laptop");
    await lib.createKey(user, "ci");
    const rotated = await lib.rotateKey(user, key.id, "1h");
    // The retiring value can be told apart from its replacement by name.
    expect(await lib.renameKey(user, key.id, "laptop-old")).toMatchObject({ id: key.id, name: "laptop-old", state: "retiring" });
    await expect(lib.renameKey(user, rotated.key.id, "CI")).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining('named "CI"') });
    expect((await lib.listKeys(user.id)).map((k) => k.name).sort()).toEqual(["ci", "laptop", "laptop-old"]);
    expect((await lib.listApiKeys()).find((k) => k.id === key.id)?.name).toBe(`laptop-old · ${user.email}`);
    await expect(lib.renameKey(newUser(), key.id, "mine")).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a sixth key with a clear message", async () => {
    const { lib } = env;
    const user = newUser();
    for (let i = 1; i <= 5; i++) await lib.createKey(user, `key ${i}`);
    await expect(lib.createKey(user, "key 6")).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("5 keys") });
    expect((await lib.listKeys(user.id)).length).toBe(5);
  });

  it("subscribing puts every key on the plan; the plan's API answers and others don't", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const { value } = await lib.createKey(user, "app");
    expect(await callApi("pets", value)).toBe(403);
    const sub = await lib.subscribe(user, target("free"));
    expect(sub).toMatchObject({ productSlug: "free", state: "active" });
    expect(await callApi("pets", value)).toBe(200);
    expect(await callApi("weather", value)).toBe(403);
    // A key created later joins the user's plans at once.
    const second = await lib.createKey(user, "second");
    expect(await callApi("pets", second.value)).toBe(200);
    // Subscribing again is a no-op that returns the same subscription.
    expect(await lib.subscribe(user, target("free"))).toEqual(sub);
  });

  it("a plan covering the same API stage needs a switch, which moves every key", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const a = await lib.createKey(user, "a");
    const b = await lib.createKey(user, "b");
    await lib.subscribe(user, target("free"));
    await expect(lib.subscribe(user, target("pro"))).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("Switch to Pro") });
    const pro = await lib.subscribe(user, target("pro"), { ends: [target("free").planId] });
    expect(pro.state).toBe("active");
    expect((await lib.listSubscriptions(user.id)).map((s) => s.productSlug)).toEqual(["pro"]);
    for (const key of [a, b]) {
      expect(await callApi("weather", key.value)).toBe(200);
      expect(await lib.isKeyInPlan(target("free").planId, key.key.id)).toBe(false);
      expect(await lib.isKeyInPlan(target("pro").planId, key.key.id)).toBe(true);
    }
  });

  it("approval-required products wait as pending until an admin decides", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const { value } = await lib.createKey(user, "app");
    const weather = target("weather-basic");
    expect(weather.approvalRequired).toBe(true);
    expect((await lib.subscribe(user, weather)).state).toBe("pending");
    expect(await callApi("weather", value)).toBe(403);
    expect((await lib.listPendingSubscriptions()).map((p) => [p.userId, p.productSlug])).toContainEqual([user.id, "weather-basic"]);
    const approved = await lib.decideSubscription(user.id, weather.planId, "approve", weather);
    expect(approved.state).toBe("active");
    expect(await callApi("weather", value)).toBe(200);
    expect((await lib.listPendingSubscriptions()).some((p) => p.userId === user.id)).toBe(false);
    await expect(lib.decideSubscription(user.id, weather.planId, "reject")).rejects.toMatchObject({ code: "not_found" });

    const other = newUser();
    await lib.subscribe(other, weather);
    expect((await lib.decideSubscription(other.id, weather.planId, "reject")).state).toBe("rejected");
    expect((await lib.listSubscriptions(other.id))[0]).toMatchObject({ state: "rejected" });
  });

  it("a switch that needs approval waits in the queue naming the plan it replaces; approving moves the keys", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const { key, value } = await lib.createKey(user, "app");
    const [pro, weather] = [target("pro"), target("weather-basic")];
    await lib.subscribe(user, pro);
    expect(await callApi("pets", value)).toBe(200);
    await expect(lib.subscribe(user, weather)).rejects.toMatchObject({ code: "conflict" });
    expect((await lib.subscribe(user, weather, { ends: [pro.planId] })).state).toBe("pending");
    const queued = (await lib.listPendingSubscriptions()).filter((p) => p.userId === user.id);
    expect(queued).toEqual([expect.objectContaining({ productSlug: "weather-basic", state: "pending", replaces: [pro.planId] })]);
    // Nothing moves while the request waits.
    expect(await lib.isKeyInPlan(pro.planId, key.id)).toBe(true);
    expect(await callApi("pets", value)).toBe(200);

    await lib.decideSubscription(user.id, weather.planId, "approve", weather);
    expect((await lib.listSubscriptions(user.id)).map((s) => [s.productSlug, s.state])).toEqual([["weather-basic", "active"]]);
    expect(await lib.isKeyInPlan(pro.planId, key.id)).toBe(false);
    expect(await lib.isKeyInPlan(weather.planId, key.id)).toBe(true);
    expect(await callApi("weather", value)).toBe(200);
    expect(await callApi("pets", value)).toBe(403);
  });

  it("issue 14 bug 1: a switch names every plan it ends, and ends no plan it didn't name", async () => {
    const { lib, target, callApi } = env;
    const { listAudit } = await import("@/lib/audit");
    const user = newUser();
    const { value } = await lib.createKey(user, "app");
    const [free, pro, weather] = [target("free"), target("pro"), target("weather-basic")];
    await lib.subscribe(user, free);
    await lib.subscribe(user, weather);
    await lib.decideSubscription(user.id, weather.planId, "approve", weather);
    // What the dashboard shows for Pro: a switch that ends both plans, not just Free.
    const { offers } = await lib.getAccessSummary(user.id, [free, pro, weather]);
    expect(offers[pro.planId]).toEqual({
      kind: "switch",
      approval: false,
      ends: [
        { planId: free.planId, productName: "Free" },
        { planId: weather.planId, productName: "Weather Basic" },
      ],
    });
    expect(offers[free.planId]).toEqual({ kind: "held", state: "active" });
    // A confirmation that named only Free (what the old card said) is refused, and nothing changes.
    await expect(lib.subscribe(user, pro, { ends: [free.planId] })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("Free and Weather Basic"),
    });
    await expect(lib.subscribe(user, pro)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("Switch to Pro") });
    expect((await lib.listSubscriptions(user.id)).map((s) => [s.productSlug, s.state])).toEqual([
      ["free", "active"],
      ["weather-basic", "active"],
    ]);
    expect(await callApi("weather", value)).toBe(200);
    // Confirmed with both: both end, and the audit says so.
    await lib.subscribe(user, pro, { ends: [free.planId, weather.planId] });
    expect((await lib.listSubscriptions(user.id)).map((s) => [s.productSlug, s.state])).toEqual([["pro", "active"]]);
    const switched = (await listAudit({ userId: user.id })).entries.find((e) => e.type === "subscription.switched");
    expect(switched?.before).toEqual({ plans: [free.planId, weather.planId] });
  });

  it("issue 14 bug 3: usage of rotated, revoked and swept keys stays in the chart, table, CSV and month total", async () => {
    const { lib, target, callApi, catalog } = env;
    // Pro: its rate limit lets 12 calls through at once.
    const pro = catalog.products.find((p) => p.slug === "pro")!.plan;
    const user = newUser();
    const a = await lib.createKey(user, "laptop");
    const b = await lib.createKey(user, "ci");
    await lib.subscribe(user, target("pro"));
    for (let i = 0; i < 7; i++) expect(await callApi("pets", a.value)).toBe(200);
    for (let i = 0; i < 5; i++) expect(await callApi("pets", b.value)).toBe(200);
    const rotated = await lib.rotateKey(user, a.key.id, "1h");
    await lib.revokeKey(user.id, b.key.id);
    const sweep = await lib.sweepRetiredKeys(new Date(Date.now() + 2 * 3_600_000), { ratePerSecond: 1_000, limit: 10_000 });
    expect(sweep.retired).toContain(a.key.id);

    const usage = await lib.getPlanUsage(user.id, pro.id, 7, { plan: pro, refresh: true });
    const today = usage.keys[0]!.days.at(-1)!.day;
    const total = (day: string) => usage.keys.reduce((sum, k) => sum + (k.days.find((d) => d.day === day)?.used ?? 0), 0);
    expect(total(today)).toBe(12);
    expect(usage.periodUsed).toBe(12);
    expect(usage.quotaResetsAt).toMatch(/T00:00:00.000Z$/);
    expect(usage.keys.map((k) => [k.keyId, k.keyName, k.status]).sort()).toEqual(
      [
        [rotated.key.id, "laptop", "active"],
        [a.key.id, "laptop", "gone"],
        [b.key.id, "ci", "gone"],
      ].sort(),
    );
    const csv = lib.usageCsv(usage);
    expect(csv).toContain(`${today},Pro,laptop,${a.key.id},gone,7`);
    expect(csv).toContain(`${today},Pro,ci,${b.key.id},gone,5`);
    // (The admin's figures for gone keys: tests/users/admin.test.ts; user and admin agree: model.test.ts.)
  });

  it("a request that waited while the account was deleted brings nothing back", async () => {
    const { lib, target, seeded } = env;
    const user = newUser("gone");
    await lib.createKey(user, "app");
    await lib.removeAccount({ ...user, userPoolId: seeded.cognito.userPoolId });
    await expect(lib.createKey(user, "again")).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.subscribe(user, target("free"))).rejects.toMatchObject({ code: "not_found" });
    expect((await lib.listApiKeys()).filter((k) => k.tags["portico:user"] === user.id)).toEqual([]);
    expect(await lib.listKeys(user.id)).toEqual([]);
  });

  it("unsubscribing takes every key off the plan", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const { value } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    expect(await callApi("pets", value)).toBe(200);
    await lib.unsubscribe(user.id, target("free").planId);
    expect(await callApi("pets", value)).toBe(403);
    expect(await lib.listSubscriptions(user.id)).toEqual([]);
    await expect(lib.unsubscribe(user.id, target("free").planId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("respects the 10-plans-per-key limit with a clear message", async () => {
    const { lib, sandbox } = env;
    const { APIGatewayClient, CreateUsagePlanCommand } = await import("@aws-sdk/client-api-gateway");
    const { sdkConfig } = await import("../sandbox/harness");
    const admin = new APIGatewayClient(sdkConfig(sandbox));
    const user = newUser();
    await lib.createKey(user, "app");
    const plans: { id?: string }[] = [];
    for (let i = 0; i < 11; i++) plans.push(await admin.send(new CreateUsagePlanCommand({ name: `limit-${user.id}-${i}` })));
    const targetOf = (i: number) => ({ planId: plans[i]!.id!, productSlug: `p${i}`, productName: `Plan ${i}`, approvalRequired: false, apiStages: [] });
    for (let i = 0; i < 10; i++) await lib.subscribe(user, targetOf(i));
    await expect(lib.subscribe(user, targetOf(10))).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("at most 10 plans") });
    expect((await lib.listSubscriptions(user.id)).length).toBe(10);
  });

  it("rotating gives a new key with the same plans; the old one works through the grace period, then the sweeper retires it", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const old = await lib.createKey(user, "prod");
    await lib.subscribe(user, target("free"));
    const rotated = await lib.rotateKey(user, old.key.id, "1h");
    expect(rotated.key).toMatchObject({ name: "prod", state: "active" });
    expect(rotated.retired).toMatchObject({ id: old.key.id, state: "retiring", replacedBy: rotated.key.id });
    expect(await callApi("pets", rotated.value)).toBe(200);
    expect(await callApi("pets", old.value)).toBe(200);
    await expect(lib.rotateKey(user, old.key.id, "1h")).rejects.toMatchObject({ code: "conflict" });

    // Not due yet: nothing happens.
    const early = await lib.sweepRetiredKeys(new Date(Date.now() + 30 * 60_000));
    expect(early.retired).not.toContain(old.key.id);
    const late = await lib.sweepRetiredKeys(new Date(Date.now() + 2 * 3_600_000));
    expect(late.retired).toContain(old.key.id);
    expect(await callApi("pets", old.value)).toBe(403);
    expect(await callApi("pets", rotated.value)).toBe(200);
    expect((await lib.listKeys(user.id)).map((k) => k.id)).toEqual([rotated.key.id]);
  });

  it("rotating without grace retires the old key at once; revoking deletes a key", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const old = await lib.createKey(user, "prod");
    await lib.subscribe(user, target("free"));
    const rotated = await lib.rotateKey(user, old.key.id, "none");
    expect(rotated.retired).toBeNull();
    expect(await callApi("pets", old.value)).toBe(403);
    expect(await callApi("pets", rotated.value)).toBe(200);
    await lib.revokeKey(user.id, rotated.key.id);
    expect(await callApi("pets", rotated.value)).toBe(403);
    expect(await lib.listKeys(user.id)).toEqual([]);
  });

  it("no user can reach another's keys or subscriptions", async () => {
    const { lib, target } = env;
    const alice = newUser("alice");
    const bob = newUser("bob");
    const { key } = await lib.createKey(alice, "alice's");
    await lib.subscribe(alice, target("free"));
    await expect(lib.revealKey(bob.id, key.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.rotateKey(bob, key.id, "none")).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.revokeKey(bob.id, key.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.unsubscribe(bob.id, target("free").planId)).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.getPlanUsage(bob.id, target("free").planId, 7)).rejects.toMatchObject({ code: "not_found" });
    expect(await lib.listKeys(alice.id)).toHaveLength(1);
    expect(await lib.revealKey(alice.id, key.id)).toMatch(/^[A-Za-z0-9]+$/);
  });

  it("deleting an account removes its keys from API Gateway, its rows and its Cognito user", async () => {
    const { lib, target, callApi, seeded } = env;
    const { CognitoIdentityProviderClient, AdminCreateUserCommand, AdminGetUserCommand } = await import("@aws-sdk/client-cognito-identity-provider");
    const { sdkConfig } = await import("../sandbox/harness");
    const cognito = new CognitoIdentityProviderClient(sdkConfig(env.sandbox));
    const user = newUser("leaver");
    const UserPoolId = seeded.cognito.userPoolId;
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId, Username: user.email, UserAttributes: [{ Name: "email", Value: user.email }], MessageAction: "SUPPRESS" }),
    );
    const { value } = await lib.createKey(user, "app");
    await lib.subscribe(user, target("free"));
    await expect(lib.deleteAccount({ ...user, userPoolId: UserPoolId }, "someone@else.com")).rejects.toMatchObject({ code: "bad_request" });
    expect(await callApi("pets", value)).toBe(200);
    await lib.deleteAccount({ ...user, userPoolId: UserPoolId }, user.email.toUpperCase());
    expect(await callApi("pets", value)).toBe(403);
    // Only the admin directory's tombstone stays, without personal data, and expires in 7 days.
    expect(await lib.queryAll({ KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `USER#${user.id}` } })).toEqual([
      {
        pk: `USER#${user.id}`,
        sk: "PROFILE",
        userId: user.id,
        status: "deleted",
        updatedAt: expect.any(String),
        expires: expect.any(Number),
        GSI1PK: "PORTICO#DIRECTORY",
        GSI1SK: expect.any(String),
      },
    ]);
    await expect(cognito.send(new AdminGetUserCommand({ UserPoolId, Username: user.email }))).rejects.toMatchObject({ name: "UserNotFoundException" });
  });
});
