import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { KeyRow } from "@/lib/db/rows";
import type { NoticeRow } from "@/lib/outbox/queue";
import { newUser, registerUser, startAccessSandbox } from "./setup";

vi.mock("next/cache", () => ({ revalidateTag: () => undefined, revalidatePath: () => undefined, unstable_cache: (fn: unknown) => fn }));

/**
 * Key hygiene (issue 21 #4) against the sandbox: keys that expire (set at creation or later, retired
 * by the sweeper like a rotated key's old one, warned a day before), the last-used day from the
 * stored usage, and the `key.unused` notice once per idle stretch.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("key hygiene", () => {
  let env: Awaited<ReturnType<typeof startAccessSandbox>>;
  beforeAll(async () => {
    env = await startAccessSandbox();
    Object.assign(process.env, env.authEnv);
  });
  afterAll(() => env.stop());

  const keyRow = async (userId: string, keyId: string) => (await env.lib.readUserAccess(userId)).keys.find((k) => k.keyId === keyId);
  /** The user's queued notices (the outbox rows in their notification partition). */
  const notices = async (userId: string) =>
    (
      await env.lib.queryAll<NoticeRow>({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :notice)",
        ExpressionAttributeValues: { ":pk": `NOTIFY#${userId}`, ":notice": "NOTICE#" },
      })
    ).map((row) => row.notice);
  const audit = async (userId: string, type: string) => (await (await import("@/lib/audit")).listAudit({ userId, type })).entries;
  const sweep = (at: number) => env.lib.sweepRetiredKeys(new Date(at), { ratePerSecond: 1_000, limit: 10_000 });
  const taggedKeys = async (userId: string) => (await env.lib.listApiKeys()).filter((k) => k.tags["portico:user"] === userId);

  it("creates keys with an expiry (days or a date), queued for the sweeper by it, and audits it", async () => {
    const { lib } = env;
    const user = newUser();
    const before = Date.now();
    const { key } = await lib.createKey(user, "contractor", { expiresInDays: 90 });
    expect(Date.parse(key.expiresAt!)).toBeGreaterThanOrEqual(before + 90 * DAY);
    expect(Date.parse(key.expiresAt!)).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    const row = (await keyRow(user.id, key.id))!;
    expect(row).toMatchObject({ state: "active", expiresAt: key.expiresAt, GSI1PK: "PORTICO#RETIRING", GSI1SK: `${key.expiresAt}#${user.id}#${key.id}` });

    const day = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const dated = await lib.createKey(user, "dated", { expiresAt: day });
    expect(dated.key.expiresAt).toBe(`${day}T00:00:00.000Z`);
    const plain = await lib.createKey(user, "plain");
    expect(plain.key.expiresAt).toBeUndefined();
    expect((await keyRow(user.id, plain.key.id))?.GSI1PK).toBeUndefined();
    expect((await audit(user.id, "key.created")).find((e) => e.target === key.id)?.after).toEqual({ name: "contractor", expiresAt: key.expiresAt });
    // An expiring key is an active key: it counts against the limit.
    expect((await lib.getAccessSummary(user.id, [])).allowance.used).toBe(3);
  });

  it("refuses expiries in the past, too far ahead or not dates, creating nothing", async () => {
    const { lib } = env;
    const { createKeyInput, updateKeyInput } = await import("@/lib/access/inputs");
    const user = newUser();
    const refusals: [{ expiresAt?: string; expiresInDays?: number }, RegExp][] = [
      [{ expiresAt: "2020-01-01" }, /in the future/],
      [{ expiresAt: new Date(Date.now() - 60_000).toISOString() }, /in the future/],
      [{ expiresAt: new Date(Date.now() + 731 * DAY).toISOString() }, /at most 730 days/],
      [{ expiresInDays: 731 }, /1 to 730/],
      [{ expiresInDays: 0 }, /1 to 730/],
      [{ expiresAt: "2027-02-30" }, /must be a date/],
      [{ expiresAt: "next tuesday" }, /must be a date/],
      [{ expiresAt: "2027-03-01", expiresInDays: 30 }, /not both/],
    ];
    for (const [expiry, message] of refusals) {
      await expect(lib.createKey(user, "refused", expiry), JSON.stringify(expiry)).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(message),
      });
    }
    expect(await lib.listKeys(user.id)).toEqual([]);
    expect(await taggedKeys(user.id)).toEqual([]);

    // The routes' schemas refuse malformed ones with the same kind of message (dates in range are the library's to judge).
    for (const body of [
      { name: "a", expiresAt: "2027-13-01" },
      { name: "a", expiresAt: 5 },
      { name: "a", expiresInDays: 1.5 },
      { name: "a", expiresInDays: 731 },
    ]) {
      const parsed = createKeyInput.safeParse(body);
      expect(parsed.success, JSON.stringify(body)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/expires/);
    }
    expect(createKeyInput.safeParse({ name: "a", expiresAt: "2027-03-01T09:00:00+01:00" }).success).toBe(true);
    expect(updateKeyInput.safeParse({}).success).toBe(false);
    expect(updateKeyInput.safeParse({ expiresAt: null }).success).toBe(true);
  });

  it("sets, changes and clears an expiry; refused changes change nothing; rotated and Marketplace keys can't have one", async () => {
    const { lib } = env;
    const user = newUser();
    const { key } = await lib.createKey(user, "laptop");
    const set = await lib.setKeyExpiry(user, key.id, { expiresInDays: 30 });
    expect(Date.parse(set.expiresAt!) - Date.now()).toBeGreaterThan(30 * DAY - 60_000);
    const date = new Date(Date.now() + 200 * DAY).toISOString().slice(0, 10);
    const changed = await lib.updateKey(user, key.id, { expiresAt: date });
    expect(changed.expiresAt).toBe(`${date}T00:00:00.000Z`);
    expect((await keyRow(user.id, key.id))?.GSI1SK).toBe(`${date}T00:00:00.000Z#${user.id}#${key.id}`);

    for (const bad of [{ expiresAt: "2001-01-01" }, { expiresInDays: 1_000 }, { expiresAt: "2027-02-29" }]) {
      await expect(lib.updateKey(user, key.id, { name: "renamed", ...bad })).rejects.toMatchObject({ code: "bad_request" });
    }
    // Neither the expiry nor the name moved.
    expect(await keyRow(user.id, key.id)).toMatchObject({ name: "laptop", expiresAt: `${date}T00:00:00.000Z` });

    const cleared = await lib.setKeyExpiry(user, key.id, { expiresAt: null });
    expect(cleared.expiresAt).toBeUndefined();
    const row = (await keyRow(user.id, key.id))!;
    expect([row.expiresAt, row.expirySetAt, row.GSI1PK, row.GSI1SK]).toEqual([undefined, undefined, undefined, undefined]);
    // Clearing again changes (and audits) nothing.
    await lib.setKeyExpiry(user, key.id, { expiresAt: null });
    const entries = await audit(user.id, "key.expiry-changed");
    expect(entries.map((e) => [e.before, e.after]).reverse()).toEqual([
      [{ expiresAt: null }, { expiresAt: set.expiresAt }],
      [{ expiresAt: set.expiresAt }, { expiresAt: changed.expiresAt }],
      [{ expiresAt: changed.expiresAt }, { expiresAt: null }],
    ]);

    await expect(lib.setKeyExpiry(user, "nosuchkey", { expiresInDays: 30 })).rejects.toMatchObject({ code: "not_found" });
    await expect(lib.setKeyExpiry(newUser(), key.id, { expiresInDays: 30 })).rejects.toMatchObject({ code: "not_found" });
    await lib.rotateKey(user, key.id, "1h");
    await expect(lib.setKeyExpiry(user, key.id, { expiresInDays: 30 })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("rotated"),
    });

    // A key bound to a Marketplace subscription lasts as long as the subscription.
    const other = newUser();
    const bought = await lib.createKey(other, "bought");
    await lib.putItem({ ...(await keyRow(other.id, bought.key.id))!, boundPlanId: "plan1", customerId: "cust1" });
    await expect(lib.setKeyExpiry(other, bought.key.id, { expiresInDays: 30 })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("AWS Marketplace"),
    });
  });

  it("the sweeper warns once a day before an expiry and retires the key then: gone from API Gateway, usage kept, told why", async () => {
    const { lib, target, callApi } = env;
    const user = newUser();
    const { key, value } = await lib.createKey(user, "expiring", { expiresInDays: 30 });
    const soon = await lib.createKey(user, "tomorrow", { expiresInDays: 1 });
    await lib.subscribe(user, target("free"));
    for (let i = 0; i < 3; i++) expect(await callApi("pets", value)).toBe(200);
    const expiresAt = Date.parse(key.expiresAt!);
    const warnings = async () => (await notices(user.id)).filter((n) => n.type === "key.retiring-soon");

    await sweep(Date.now());
    await sweep(expiresAt - 2 * DAY);
    expect(await warnings()).toEqual([]);
    await sweep(expiresAt - 23 * HOUR);
    await sweep(expiresAt - 22 * HOUR);
    await sweep(expiresAt - HOUR);
    const warned = await warnings();
    // Warned once, for this key: the one set to expire a day after it was made was just chosen, not worth a warning.
    expect(warned.map((n) => [n.id, n.data])).toEqual([
      [`retiring-soon:${key.id}:${key.expiresAt}`, { keyId: key.id, keyName: "expiring", keyHint: key.hint, retiresAt: key.expiresAt }],
    ]);
    expect(await keyRow(user.id, key.id)).toMatchObject({ state: "active" });
    expect(await callApi("pets", value)).toBe(200);

    const report = await sweep(expiresAt + 60_000);
    // (The one-day key went at the first sweep past its day.)
    expect(report.retired).toContain(key.id);
    expect(await lib.listKeys(user.id)).toEqual([]);
    expect(await taggedKeys(user.id)).toEqual([]);
    expect(await callApi("pets", value)).toBe(403);
    // Its usage is history: kept before it was deleted, and still in the plan's view.
    const { readUsageRows } = await import("@/lib/db/partition");
    const kept = (await readUsageRows(user.id)).find((r) => r.keyId === key.id)!;
    expect(Object.values({ ...kept.final, ...kept.recent }).reduce((a, b) => a + b, 0)).toBe(4);
    const retired = (await notices(user.id)).filter((n) => n.type === "key.retired");
    expect(retired.map((n) => [n.data.keyId, (n.data as { reason: string }).reason]).sort()).toEqual(
      [
        [key.id, "expired"],
        [soon.key.id, "expired"],
      ].sort(),
    );
    expect((await audit(user.id, "key.retired")).find((e) => e.target === key.id)?.before).toEqual({ state: "active", expiresAt: key.expiresAt });
    // Again: nothing left to do, nothing told twice.
    expect((await sweep(expiresAt + 2 * 60_000)).retired).not.toContain(key.id);
    expect((await notices(user.id)).filter((n) => n.type === "key.retired")).toHaveLength(2);
  });

  it("a key whose expiry moved later is left alone at the old time", async () => {
    const { lib } = env;
    const user = newUser();
    const { key } = await lib.createKey(user, "moved", { expiresInDays: 5 });
    await lib.setKeyExpiry(user, key.id, { expiresInDays: 50 });
    expect((await sweep(Date.parse(key.expiresAt!) + HOUR)).retired).not.toContain(key.id);
    expect(await keyRow(user.id, key.id)).toMatchObject({ state: "active" });
  });

  it("rotating keeps the lifetime: the new key lasts as long, the old stops at its grace period's end or its expiry", async () => {
    const { lib } = env;
    const user = newUser();
    const { key } = await lib.createKey(user, "ninety", { expiresInDays: 90 });
    const rotated = await lib.rotateKey(user, key.id, "7d");
    const now = Date.now();
    expect(Math.abs(Date.parse(rotated.key.expiresAt!) - (now + 90 * DAY))).toBeLessThan(60_000);
    expect(Math.abs(Date.parse(rotated.retired!.retiresAt!) - (now + 7 * DAY))).toBeLessThan(60_000);
    expect(rotated.retired!.expiresAt).toBeUndefined();

    const short = await lib.createKey(user, "short", { expiresInDays: 2 });
    const early = await lib.rotateKey(user, short.key.id, "7d");
    expect(early.retired!.retiresAt).toBe(short.key.expiresAt);
    const invariants = await import("@/lib/access/invariants");
    expect(await invariants.accessViolations(user.id, await invariants.readGatewayState())).toEqual([]);
  });

  it("shows the last day a key was used, from stored usage after real calls; it only moves forward", async () => {
    const { lib, target, callApi, catalog } = env;
    const user = await registerUser(env, "lastused");
    const { key, value } = await lib.createKey(user, "app");
    const idle = await lib.createKey(user, "idle");
    await lib.subscribe(user, target("free"));
    expect((await lib.listKeys(user.id)).every((k) => k.lastUsedDay === undefined)).toBe(true);
    for (let i = 0; i < 2; i++) expect(await callApi("pets", value)).toBe(200);

    // The dashboard's usage view stores what it read: the key's row follows.
    const plan = catalog.products.find((p) => p.slug === "free")!.plan;
    let clock = Date.now();
    await lib.getPlanUsage(user.id, plan.id, 7, { plan, refresh: true, now: (clock += 11_000) });
    const today = new Date().toISOString().slice(0, 10);
    const shown = await lib.listKeys(user.id);
    expect(shown.find((k) => k.id === key.id)?.lastUsedDay).toBe(today);
    expect(shown.find((k) => k.id === idle.key.id)?.lastUsedDay).toBeUndefined();

    // Never backwards: a later day already noted stays, however the usage is stored again.
    const { keySk, usageSk, userPk } = await import("@/lib/db/keys");
    const keyKey = { pk: userPk(user.id), sk: keySk(key.id) };
    const forget = () => lib.updateItem({ pk: userPk(user.id), sk: usageSk(plan.id, key.id) }, { expression: "REMOVE lastUsedDay" });
    await lib.updateItem(keyKey, { expression: "SET lastUsedDay = :d", values: { ":d": "2099-01-01" } });
    await forget();
    await lib.getPlanUsage(user.id, plan.id, 7, { plan, refresh: true, now: (clock += 11_000) });
    expect((await keyRow(user.id, key.id))?.lastUsedDay).toBe("2099-01-01");
    // And forward from an older day, by the collector this time (no control-plane call of its own).
    await lib.updateItem(keyKey, { expression: "SET lastUsedDay = :d", values: { ":d": "2000-01-01" } });
    await forget();
    lib.resetControlPlaneStats();
    const { collectUsage } = await import("@/lib/users/collector");
    const report = await collectUsage(Date.now(), { ratePerSecond: 1_000 });
    expect(report.failed).toEqual([]);
    expect(lib.getControlPlaneStats().calls).toEqual({ GetUsagePlans: 1, GetUsage: report.plans });
    expect((await keyRow(user.id, key.id))?.lastUsedDay).toBe(today);
    // A gone key's usage, stored again with a later day, never brings its KEY# row back.
    await lib.revokeKey(user.id, key.id);
    const { storeUsage } = await import("@/lib/access/usage");
    const { getItem } = await import("@/lib/db/items");
    const usage = (await getItem<import("@/lib/db/rows").UsageRow>({ pk: userPk(user.id), sk: usageSk(plan.id, key.id) }))!;
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    expect((await storeUsage({ ...usage, recent: { ...usage.recent, [tomorrow]: 1 }, fetchedAt: Date.now() + DAY })).lastUsedDay).toBe(tomorrow);
    expect(await keyRow(user.id, key.id)).toBeUndefined();
  });

  it("tells about a key unused for the configured days once per idle stretch, from the profiles, with no control-plane call", async () => {
    const { lib } = env;
    const { queueUnusedKeyNotices } = await import("@/lib/access/unused");
    const { refreshProfile } = await import("@/lib/access/profile");
    const { getProfile } = await import("@/lib/db/profiles");
    const { keySk, userPk } = await import("@/lib/db/keys");
    const user = await registerUser(env, "unused");
    const { key } = await lib.createKey(user, "forgotten");
    const fresh = await lib.createKey(user, "fresh");
    const now = Date.now();
    const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
    // Made 40 days ago (as far as its row says), never used since.
    const set = async (keyId: string, fields: Partial<KeyRow>) => {
      const row = (await keyRow(user.id, keyId))!;
      await lib.putItem({ ...row, ...fields });
      await refreshProfile(user.id);
    };
    await set(key.id, { createdAt: new Date(now - 40 * DAY).toISOString() });
    const profile = (await getProfile(user.id))!;
    expect(profile.idleKeys).toEqual({ [key.id]: dayOf(now - 40 * DAY), [fresh.key.id]: dayOf(now) });

    expect((await queueUnusedKeyNotices([profile], now, 0)).told).toBe(0); // 0: off
    lib.resetControlPlaneStats();
    expect((await queueUnusedKeyNotices([profile], now, 30)).told).toBe(1);
    expect(lib.getControlPlaneStats().calls).toEqual({});
    const told = (await notices(user.id)).filter((n) => n.type === "key.unused");
    expect(told.map((n) => [n.id, n.data])).toEqual([
      [`unused:${key.id}:${dayOf(now - 40 * DAY)}`, { keyId: key.id, keyName: "forgotten", keyHint: key.hint, days: 40 }],
    ]);
    // Told: off the profile, and not again — with the profile as it is now, or a stale one.
    expect((await getProfile(user.id))!.idleKeys).toEqual({ [fresh.key.id]: dayOf(now) });
    expect((await queueUnusedKeyNotices([(await getProfile(user.id))!], now + DAY, 30)).told).toBe(0);
    expect((await queueUnusedKeyNotices([profile], now + DAY, 30)).told).toBe(0);

    // Used again 35 days ago, then idle: a new stretch, told once more (with the day it was last used).
    await lib.updateItem({ pk: userPk(user.id), sk: keySk(key.id) }, { expression: "SET lastUsedDay = :d", values: { ":d": dayOf(now - 35 * DAY) } });
    await refreshProfile(user.id);
    // Through the usage collector, as scheduled: it reads the directory.
    const { collectUsage } = await import("@/lib/users/collector");
    const run = await collectUsage(now, { ratePerSecond: 1_000 });
    expect(run.unusedTold).toBeGreaterThanOrEqual(1);
    const again = (await notices(user.id)).filter((n) => n.type === "key.unused").map((n) => n.data);
    expect(again).toContainEqual({ keyId: key.id, keyName: "forgotten", keyHint: key.hint, days: 35, lastUsedDay: dayOf(now - 35 * DAY) });
    expect(again).toHaveLength(2);
    expect((await collectUsage(now, { ratePerSecond: 1_000 })).unusedTold).toBe(0);
  });
});
