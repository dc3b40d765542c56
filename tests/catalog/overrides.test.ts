import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { seed } from "@/local/seed";
import type { PlanTerms } from "@/lib/apigateway/types";
import type { Caller } from "@/lib/auth/caller";
import { visibleTo } from "@/lib/catalog/catalog";
import { adminCatalogView, applyChange, applyOverrides, catalogChangeSchema, NO_OVERRIDES, parseOverrides, type CatalogChange } from "@/lib/catalog/overrides";
import type { Catalog, CatalogApi, CatalogProduct } from "@/lib/catalog/types";
import { CATALOG_OVERRIDES_KEY } from "@/lib/db/keys";
import { AppError } from "@/lib/errors";
import { startTestSandbox } from "../sandbox/harness";

/**
 * Next's data cache, in miniature: entries by key parts and arguments, dropped by tag. Enough to
 * see what a warm view reads, and what a change invalidates.
 */
const nextCache = vi.hoisted(() => {
  const entries = new Map<string, { value: Promise<unknown>; tags: string[] }>();
  const revalidated: string[] = [];
  return {
    entries,
    revalidated,
    unstable_cache:
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyParts: string[], options: { tags?: string[] } = {}) =>
      (...args: A): Promise<R> => {
        const key = JSON.stringify([keyParts, args]);
        let entry = entries.get(key);
        if (!entry) {
          entry = { value: fn(...args), tags: options.tags ?? [] };
          entries.set(key, entry);
          entry.value.catch(() => entries.delete(key));
        }
        return entry.value as Promise<R>;
      },
    revalidateTag(tag: string) {
      revalidated.push(tag);
      for (const [key, entry] of entries) if (entry.tags.includes(tag)) entries.delete(key);
    },
  };
});
vi.mock("next/cache", () => ({ unstable_cache: nextCache.unstable_cache, revalidateTag: nextCache.revalidateTag }));

const anonymous: Caller = { user: null, isAdmin: false };
const developer: Caller = { user: { id: "u1", name: "Dev", email: "dev@example.com", groups: [] }, isAdmin: false };
const admin: Caller = { user: { id: "u3", name: "Ada", email: "admin@example.com", groups: ["admins"] }, isAdmin: true };

function plan(id: string, apiStages: PlanTerms["apiStages"]): PlanTerms {
  return { id, name: id.toUpperCase(), apiStages, tags: {}, throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 100, period: "DAY", offset: 0 } };
}
function product(slug: string, planTerms: PlanTerms, apiSlugs: string[], extra: Partial<CatalogProduct> = {}): CatalogProduct {
  return { slug, name: slug, visibility: "public", approvalRequired: false, plan: planTerms, apiSlugs, source: "catalog", file: `products/${slug}.yaml`, ...extra };
}
function api(slug: string, apiId: string): CatalogApi {
  return { slug, name: slug, apiId, stage: "prod", spec: { source: "file", file: `apis/${slug}.yaml` } };
}

/** free: pets · pro: pets + weather · internal (discovered): internal only. */
const catalog: Catalog = {
  products: [
    product("free", plan("free1", [{ apiId: "pets1", stage: "prod" }]), ["pets"]),
    product("pro", plan("pro1", [{ apiId: "pets1", stage: "prod" }, { apiId: "weather1", stage: "prod" }]), ["pets", "weather"]),
    product("internal", plan("internal1", [{ apiId: "internal1", stage: "prod" }]), ["internal"], { source: "discovered", file: undefined }),
  ],
  apis: [api("pets", "pets1"), api("weather", "weather1"), api("internal", "internal1")],
  guides: [],
  refreshedAt: "2030-01-01T00:00:00.000Z",
  problems: [],
};

const slugs = (c: Catalog) => ({ products: c.products.map((p) => p.slug), apis: c.apis.map((a) => a.slug) });

describe("catalog overrides (pure)", () => {
  it("with none, the catalog is the cached one, untouched", () => {
    expect(applyOverrides(catalog, NO_OVERRIDES)).toBe(catalog);
  });

  it("a hidden product is gone for everyone, and so are the APIs only it reaches; admins can still open it", () => {
    const composed = applyOverrides(catalog, { ...NO_OVERRIDES, version: 1, hiddenPlans: ["internal1", "free1"] });
    expect(composed.products.filter((p) => p.hidden).map((p) => p.slug)).toEqual(["free", "internal"]);
    expect(catalog.products.some((p) => p.hidden)).toBe(false); // the cached catalog is never changed
    for (const caller of [anonymous, developer, admin]) {
      expect(slugs(visibleTo(composed, caller))).toEqual({ products: ["pro"], apis: ["pets", "weather"] });
    }
    // Only admins, and only when asking for it (a hidden product's page), get it back.
    expect(slugs(visibleTo(composed, developer, { includeHidden: true }))).toEqual({ products: ["pro"], apis: ["pets", "weather"] });
    const preview = visibleTo(composed, admin, { includeHidden: true });
    expect(slugs(preview)).toEqual({ products: ["free", "pro", "internal"], apis: ["pets", "weather", "internal"] });
    expect(preview.products.find((p) => p.slug === "free")?.hidden).toBe(true);
  });

  it("SDK switches mark the API stage", () => {
    const composed = applyOverrides(catalog, { ...NO_OVERRIDES, version: 1, sdksOff: ["weather1/prod", "weather1/beta"] });
    expect(composed.apis.map((a) => [a.slug, !!a.sdksOff])).toEqual([
      ["pets", false],
      ["weather", true],
      ["internal", false],
    ]);
    expect(slugs(visibleTo(composed, anonymous))).toEqual(slugs(catalog));
  });

  it("validates the stored row, naming the field", () => {
    expect(parseOverrides({ pk: "PORTICO#SETTINGS", sk: "CATALOG", version: 3, hiddenPlans: ["abc"], sdksOff: ["a1/prod"] })).toEqual({ version: 3, hiddenPlans: ["abc"], sdksOff: ["a1/prod"] });
    expect(() => parseOverrides({ version: 1, hiddenPlans: ["no spaces"], sdksOff: [] })).toThrow(/hiddenPlans\.0: That isn't a valid usage plan id/);
    expect(() => parseOverrides({ version: 1, hiddenPlans: [], sdksOff: ["just-an-id"] })).toThrow(/sdksOff\.0: must be <apiId>\/<stage>/);
    expect(() => parseOverrides({ version: -1, hiddenPlans: [], sdksOff: [] })).toThrow(/version/);
  });

  it.each([
    [{ planId: "free1", published: false }, true],
    [{ planId: "free1", published: true, version: 4 }, true],
    [{ apiId: "pets1", stage: "prod", sdks: false }, true],
    [{ planId: "free1" }, "published must be true or false."],
    [{ planId: "free1", published: "no" }, "published must be true or false."],
    [{ planId: "../x", published: true }, "That isn't a valid usage plan id."],
    [{ apiId: "pets1", sdks: true }, "stage must be a stage name."],
    [{ apiId: "pets1", stage: "prod", sdks: 1 }, "sdks must be true or false."],
    [{ apiId: "pets1", stage: "a/b", sdks: true }, "That isn't a valid stage name."],
    [{ planId: "free1", published: true, version: -2 }, /version/],
    [{ planId: "free1", published: true, extra: 1 }, /extra/],
    [[], "Send { planId, published } or { apiId, stage, sdks }."],
    [null, "Send { planId, published } or { apiId, stage, sdks }."],
  ])("PATCH body %j → %s", (body, expected) => {
    const parsed = catalogChangeSchema(body).safeParse(body);
    if (expected === true) {
      expect(parsed.success).toBe(true);
    } else {
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(expected as string | RegExp);
    }
  });

  it("applies one switch, says whether anything changed, and what to record", () => {
    const hide = applyChange(NO_OVERRIDES, catalog, { planId: "free1", published: false });
    expect(hide).toEqual({
      next: { ...NO_OVERRIDES, hiddenPlans: ["free1"] },
      changed: true,
      audit: {
        type: "catalog.hidden",
        target: "free1",
        before: { planId: "free1", name: "FREE1", products: ["free"], published: true },
        after: { planId: "free1", name: "FREE1", products: ["free"], published: false },
      },
    });
    expect(applyChange(hide.next, catalog, { planId: "free1", published: false }).changed).toBe(false);
    expect(applyChange(hide.next, catalog, { planId: "free1", published: true })).toMatchObject({ next: { hiddenPlans: [] }, changed: true, audit: { type: "catalog.published" } });

    const off = applyChange(NO_OVERRIDES, catalog, { apiId: "weather1", stage: "prod", sdks: false });
    expect(off).toMatchObject({ next: { sdksOff: ["weather1/prod"] }, changed: true, audit: { type: "catalog.sdks-disabled", target: "weather1/prod", before: { sdks: true }, after: { sdks: false } } });
    expect(applyChange(off.next, catalog, { apiId: "weather1", stage: "prod", sdks: true })).toMatchObject({ next: { sdksOff: [] }, audit: { type: "catalog.sdks-enabled" } });
  });

  it("refuses plans and API stages the catalog doesn't have, with a 404", () => {
    const attempt = (change: CatalogChange) => () => applyChange(NO_OVERRIDES, catalog, change);
    expect(attempt({ planId: "nope", published: false })).toThrow(expect.objectContaining({ code: "not_found", message: expect.stringMatching(/no usage plan nope/) }));
    expect(attempt({ apiId: "pets1", stage: "beta", sdks: false })).toThrow(expect.objectContaining({ code: "not_found", message: "There is no API pets1 with stage beta in the catalog." }));
  });

  it("the admin view lists every product and API stage with its switches", () => {
    const view = adminCatalogView(catalog, { version: 2, hiddenPlans: ["internal1"], sdksOff: ["pets1/prod"], updatedAt: "2030-01-02T00:00:00.000Z", updatedBy: "admin@example.com" }, { enabled: true, visibility: "public" });
    expect(view).toMatchObject({ version: 2, updatedBy: "admin@example.com", refreshedAt: catalog.refreshedAt });
    expect(view.products.map((p) => [p.slug, p.planId, p.source, p.file, p.published])).toEqual([
      ["free", "free1", "catalog", "products/free.yaml", true],
      ["pro", "pro1", "catalog", "products/pro.yaml", true],
      ["internal", "internal1", "discovered", undefined, false],
    ]);
    expect(view.products[1]!.apiStages).toEqual([
      { apiId: "pets1", stage: "prod", name: "pets" },
      { apiId: "weather1", stage: "prod", name: "weather" },
    ]);
    expect(view.apis.map((a) => [a.slug, a.products, a.sdks])).toEqual([
      ["pets", ["free", "pro"], false],
      ["weather", ["pro"], true],
      ["internal", ["internal"], true],
    ]);
  });
});

describe("catalog overrides in DynamoDB, applied to what visitors see", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let store: typeof import("@/lib/catalog/overrides-store");
  let lib: typeof import("@/lib/catalog/read") & typeof import("@/lib/catalog/admin") & typeof import("@/lib/catalog/specs");
  let apigateway: typeof import("@/lib/apigateway");
  let audit: typeof import("@/lib/audit");
  let db: (typeof import("@/lib/db"))["db"];
  let table: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    await fetch(`${sandbox.url}/_sandbox/apigateway/budget`, { method: "PUT", body: JSON.stringify({ enabled: false }) });
    const seeded = await seed(sandbox.context, "http://localhost:3000");
    table = seeded.table;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sandbox.url,
      AWS_REGION: SANDBOX_REGION,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      PORTICO_TABLE: table,
      AUTH_SECRET: "x".repeat(32),
      AUTH_URL: "http://localhost:3000",
      COGNITO_ISSUER: `${sandbox.url}/pool`,
      COGNITO_CLIENT_ID: "client",
      COGNITO_USER_POOL_ID: "pool",
      COGNITO_DOMAIN_URL: sandbox.url,
    });
    store = await import("@/lib/catalog/overrides-store");
    lib = { ...(await import("@/lib/catalog/read")), ...(await import("@/lib/catalog/admin")), ...(await import("@/lib/catalog/specs")) };
    apigateway = await import("@/lib/apigateway");
    audit = await import("@/lib/audit");
    db = (await import("@/lib/db")).db;
  });
  afterAll(() => sandbox.stop());

  const putRow = (item: Record<string, unknown>) => db.send(new PutCommand({ TableName: table, Item: { ...CATALOG_OVERRIDES_KEY, ...item } }));

  it("a server that didn't export a spec reads it from the shared cache: one GetExport for all of them", async () => {
    const weather = (await lib.getCatalog()).apis.find((a) => a.slug === "weather")!;
    expect(weather.spec.source).toBe("export");
    // This process exported it while building the catalog: no call.
    apigateway.resetControlPlaneStats();
    expect(await lib.getSpecText(weather)).toContain('"title": "Weather API"');
    expect(apigateway.getControlPlaneStats().calls).toEqual({});
    // Another server (nothing kept in its process): one export into the shared cache, then none.
    (globalThis as { __porticoExportedSpecs?: { clear(): void } }).__porticoExportedSpecs!.clear();
    expect(await lib.getSpecText(weather)).toContain('"title": "Weather API"');
    expect(await lib.getSpecText(weather)).toContain('"title": "Weather API"');
    expect(apigateway.getControlPlaneStats().calls).toEqual({ GetExport: 1 });
  });

  it("no row: nothing overridden; writes are conditional on the version they read", async () => {
    expect(await store.readCatalogOverrides({ consistent: true })).toEqual(NO_OVERRIDES);
    const first = await store.writeCatalogOverrides({ hiddenPlans: ["b", "a", "a"], sdksOff: [] }, 0, { by: "admin@example.com", now: new Date("2030-01-01T00:00:00Z") });
    expect(first).toEqual({ version: 1, hiddenPlans: ["a", "b"], sdksOff: [], updatedAt: "2030-01-01T00:00:00.000Z", updatedBy: "admin@example.com" });
    expect(await store.readCatalogOverrides({ consistent: true })).toEqual(first);

    // Two admins who both read version 1: one write wins, the other is a 409 and changes nothing.
    const results = await Promise.allSettled([store.writeCatalogOverrides({ hiddenPlans: ["c"], sdksOff: [] }, 1), store.writeCatalogOverrides({ hiddenPlans: [], sdksOff: ["x/prod"] }, 1)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = results.find((r) => r.status === "rejected")!.reason as AppError;
    expect(loser).toBeInstanceOf(AppError);
    expect([loser.status, loser.message]).toEqual([409, store.CONFLICT_MESSAGE]);
    const winner = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<unknown>).value;
    expect(await store.readCatalogOverrides({ consistent: true })).toEqual(winner);
    // A stale version (or a row that appeared meanwhile) is a conflict too.
    await expect(store.writeCatalogOverrides({ hiddenPlans: [], sdksOff: [] }, 1)).rejects.toMatchObject({ code: "conflict" });
    await expect(store.writeCatalogOverrides({ hiddenPlans: [], sdksOff: [] }, 0)).rejects.toMatchObject({ code: "conflict" });
    // Nothing invalid is ever written.
    await expect(store.writeCatalogOverrides({ hiddenPlans: ["not an id"], sdksOff: [] }, 2)).rejects.toThrow(/hiddenPlans\.0/);
    await putRow({ ...NO_OVERRIDES, version: 0 }); // back to "nothing overridden" for the next test
  });

  it("a warm view reads neither API Gateway nor DynamoDB; a change shows on the next view, for one GetItem", async () => {
    const base = await lib.getCatalog();
    const free = base.products.find((p) => p.slug === "free")!;
    const pets = base.apis.find((a) => a.slug === "pets")!;
    await lib.getCatalogFor(anonymous); // warm

    const send = vi.spyOn(db, "send");
    const reads = () => send.mock.calls.filter(([command]) => command.constructor.name === "GetCommand").length;
    apigateway.resetControlPlaneStats();
    expect((await lib.getCatalogFor(developer)).products.map((p) => p.slug)).toEqual(["free", "pro", "weather-basic"]);
    expect(reads()).toBe(0);

    const view = await lib.changeCatalog({ planId: free.plan.id, published: false, version: 0 });
    expect(view.products.find((p) => p.slug === "free")).toMatchObject({ planId: free.plan.id, published: false });
    expect(view.version).toBe(1);
    expect(nextCache.revalidated).toEqual(["catalog-overrides"]);

    send.mockClear();
    for (const caller of [anonymous, developer, admin]) expect((await lib.getCatalogFor(caller)).products.map((p) => p.slug)).not.toContain("free");
    expect(reads()).toBe(1); // the row, once, then cached again
    expect((await lib.getCatalogWithHiddenFor(admin)).products.find((p) => p.slug === "free")?.hidden).toBe(true);
    expect((await lib.getCatalogWithHiddenFor(developer)).products.map((p) => p.slug)).not.toContain("free");
    await expect(lib.getSubscribeTarget("free", developer)).rejects.toMatchObject({ code: "not_found", message: "There is no such product." });
    await expect(lib.getSubscribeTarget("free", admin)).rejects.toMatchObject({ code: "not_found", message: expect.stringMatching(/hidden/) });
    expect(apigateway.getControlPlaneStats().calls).toEqual({});

    // The same switch again changes nothing; a stale version is refused.
    expect((await lib.changeCatalog({ planId: free.plan.id, published: false })).version).toBe(1);
    await expect(lib.changeCatalog({ planId: free.plan.id, published: true, version: 0 })).rejects.toMatchObject({ code: "conflict" });
    await expect(lib.changeCatalog({ planId: "nosuchplan", published: true })).rejects.toMatchObject({ code: "not_found" });

    // SDKs off for Pets: marked for visitors; on again.
    await lib.changeCatalog({ apiId: pets.apiId, stage: pets.stage, sdks: false, version: 1 });
    expect((await lib.getApiFor("pets", developer))?.api.sdksOff).toBe(true);
    expect((await lib.getApiFor("weather", developer))?.api.sdksOff).toBeUndefined();
    await lib.changeCatalog({ apiId: pets.apiId, stage: pets.stage, sdks: true });
    await lib.changeCatalog({ planId: free.plan.id, published: true });
    expect((await lib.getCatalogFor(anonymous)).products.map((p) => p.slug)).toEqual(["free", "pro"]);
    expect((await lib.getApiFor("pets", developer))?.api.sdksOff).toBeUndefined();
    expect(apigateway.getControlPlaneStats().calls).toEqual({});
    send.mockRestore();

    // Each change is in the audit log, with before and after; the no-op is not.
    const { entries } = await audit.listAudit({ type: "catalog" });
    expect(entries.map((e) => [e.type, e.target]).reverse()).toEqual([
      ["catalog.hidden", free.plan.id],
      ["catalog.sdks-disabled", `${pets.apiId}/prod`],
      ["catalog.sdks-enabled", `${pets.apiId}/prod`],
      ["catalog.published", free.plan.id],
    ]);
    expect(entries.at(-1)).toMatchObject({ before: { planId: free.plan.id, published: true }, after: { planId: free.plan.id, published: false } });
  });

  it("refresh drops the cached catalog and overrides and is recorded", async () => {
    nextCache.revalidated.length = 0;
    const before = await lib.getCatalog();
    await lib.refreshCatalogNow();
    expect(nextCache.revalidated).toEqual(["catalog", "catalog-overrides"]);
    apigateway.resetControlPlaneStats();
    const after = await lib.getCatalog();
    expect(after.refreshedAt > before.refreshedAt).toBe(true);
    expect(apigateway.getControlPlaneStats().calls).toMatchObject({ GetUsagePlans: 1, GetRestApis: 1 });
    const [entry] = (await audit.listAudit({ type: "catalog.refreshed" })).entries;
    expect(entry).toMatchObject({ target: "catalog", before: { refreshedAt: before.refreshedAt, products: 3, apis: 3 }, after: { requestedAt: expect.any(String) } });
  });

  it("an invalid row: the last good switches keep serving; with none, every product is hidden rather than shown unfiltered", async () => {
    const good = await lib.getCatalogOverrides();
    await putRow({ version: 9, hiddenPlans: ["not an id"], sdksOff: [] });
    await expect(store.readCatalogOverrides()).rejects.toThrow(/catalog settings row is invalid: hiddenPlans\.0/);
    nextCache.revalidateTag("catalog-overrides");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await lib.getCatalogOverrides()).toEqual(good);
    const processWide = globalThis as { __porticoCatalogOverrides?: unknown };
    const saved = processWide.__porticoCatalogOverrides;
    processWide.__porticoCatalogOverrides = undefined;
    nextCache.revalidateTag("catalog-overrides");
    await expect(lib.getCatalogOverrides()).rejects.toMatchObject({ code: "unavailable" });
    const closed = await lib.getCatalogFor(anonymous);
    expect(closed.products).toEqual([]);
    errors.mockRestore();
    processWide.__porticoCatalogOverrides = saved;
    await putRow({ ...NO_OVERRIDES });
  });
});
