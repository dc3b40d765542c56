import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { existingSingleton, processCache, processSingleton } from "@/lib/cache/process";

/**
 * Next's data cache, in miniature: an entry is stored once its value resolves (as Next does), so
 * concurrent misses reach the load unless lib/cache/shared joins them. A revalidated tag drops its
 * entries at once, or only when `land()` runs — as when Next applies it after the request.
 */
const nextCache = vi.hoisted(() => {
  const entries = new Map<string, { value: unknown; tags: string[] }>();
  const revalidated: unknown[][] = [];
  const pending: string[][] = [];
  const taggedKeys = (tag: string) => [...entries].filter(([, entry]) => entry.tags.includes(tag)).map(([key]) => key);
  const drop = (keys: string[]) => keys.forEach((key) => entries.delete(key));
  return {
    entries,
    revalidated,
    deferTags: false,
    /** Applies the revalidated tags to the entries that were there when they were revalidated. */
    land: () => pending.splice(0).forEach(drop),
    unstable_cache:
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyParts: string[], options: { tags?: string[] } = {}) =>
      async (...args: A): Promise<R> => {
        const key = JSON.stringify([keyParts, args]);
        const entry = entries.get(key);
        if (entry) return entry.value as R;
        const value = await fn(...args);
        entries.set(key, { value, tags: options.tags ?? [] });
        return value;
      },
    revalidateTag(this: void, tag: string, profile?: unknown) {
      revalidated.push([tag, profile]);
      if (nextCache.deferTags) pending.push(taggedKeys(tag));
      else drop(taggedKeys(tag));
    },
  };
});
vi.mock("next/cache", () => ({ unstable_cache: nextCache.unstable_cache, revalidateTag: nextCache.revalidateTag }));

/** A load whose calls are counted and whose answers the test releases one by one. */
function controlledLoad<V>() {
  const calls: { args: unknown[]; resolve: (value: V) => void; reject: (error: Error) => void }[] = [];
  const load = (...args: unknown[]) => new Promise<V>((resolve, reject) => calls.push({ args, resolve, reject }));
  return { calls, load };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let cache: typeof import("@/lib/cache/shared");
let names = 0;
const uniqueName = () => `Test${++names}`;

beforeAll(async () => {
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("PORTICO_TABLE", "portico-test");
  vi.stubEnv("AUTH_SECRET", "x".repeat(32));
  vi.stubEnv("AUTH_URL", "http://localhost:3000");
  vi.stubEnv("COGNITO_ISSUER", "http://localhost:4566/pool");
  vi.stubEnv("COGNITO_CLIENT_ID", "client");
  vi.stubEnv("COGNITO_USER_POOL_ID", "pool");
  vi.stubEnv("COGNITO_DOMAIN_URL", "http://localhost:4566");
  vi.stubEnv("AWS_ENDPOINT_URL_API_GATEWAY", "http://localhost:4566");
  cache = await import("@/lib/cache/shared");
});

beforeEach(() => {
  nextCache.entries.clear();
  nextCache.revalidated.length = 0;
  nextCache.deferTags = false;
});

describe("sharedCache", () => {
  it("keeps one entry per argument list, shared with every later call", async () => {
    const load = vi.fn(async (apiId: string, stage: string) => `${apiId}/${stage}@${load.mock.calls.length}`);
    const specs = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load });
    expect(await specs.get("a", "prod")).toBe("a/prod@1");
    expect(await specs.get("a", "prod")).toBe("a/prod@1");
    expect(await specs.get("b", "prod")).toBe("b/prod@2");
    expect(await specs.get("a", "test")).toBe("a/test@3");
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("names the deployment and the cache in the data cache's key", async () => {
    const name = uniqueName();
    await cache.sharedCache({ name, tags: [cache.TAGS.catalog], revalidate: () => 60, key: () => ["portico-test"], load: async () => 1 }).get();
    expect([...nextCache.entries.keys()]).toEqual([
      JSON.stringify([
        [`portico-${name}`, "us-east-1", "pool", "http://localhost:4566", "portico-test"],
        [[], null],
      ]),
    ]);
  });

  it("joins concurrent misses in this process into one load", async () => {
    const { calls, load } = controlledLoad<string>();
    const catalog = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load });
    const views = [catalog.get(), catalog.get(), catalog.get()];
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve("v1");
    expect(await Promise.all(views)).toEqual(["v1", "v1", "v1"]);
    expect(await catalog.get()).toBe("v1");
    expect(calls).toHaveLength(1);
  });

  it("expireTag drops the tag's entries, here and (through revalidateTag) everywhere, and leaves other tags alone", async () => {
    let version = 0;
    const catalog = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load: async () => `catalog v${++version}` });
    const overrides = cache.sharedCache({
      name: uniqueName(),
      tags: [cache.TAGS.catalogOverrides],
      revalidate: () => 60,
      load: async () => `overrides v${++version}`,
    });
    expect(await catalog.get()).toBe("catalog v1");
    expect(await overrides.get()).toBe("overrides v2");

    cache.expireTag(cache.TAGS.catalog);
    expect(nextCache.revalidated).toEqual([["catalog", { expire: 0 }]]);
    expect(await catalog.get()).toBe("catalog v3");
    expect(await overrides.get()).toBe("overrides v2");
  });

  it("after expireTag, a view doesn't join a load that started before it", async () => {
    const { calls, load } = controlledLoad<string>();
    const catalog = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load, keepLastGood: true });
    const before = catalog.get();
    await settle();
    cache.expireTag(cache.TAGS.catalog);
    const after = catalog.get();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("fresh");
    calls[0]!.resolve("stale");
    expect(await before).toBe("stale");
    expect(await after).toBe("fresh");
    // The read that raced the change is not kept as the fallback.
    expect(catalog.lastGood()).toBe("fresh");
  });

  it("keeps the last good value to serve when a refresh fails; a failure is not cached", async () => {
    const { calls, load } = controlledLoad<string>();
    const catalog = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load, keepLastGood: true });
    expect(catalog.lastGood()).toBeUndefined();
    const first = catalog.get();
    await settle();
    calls[0]!.resolve("good");
    expect(await first).toBe("good");

    cache.expireTag(cache.TAGS.catalog);
    const failing = catalog.get();
    await settle();
    calls[1]!.reject(new Error("API Gateway is throttling"));
    await expect(failing).rejects.toThrow("API Gateway is throttling");
    expect(catalog.lastGood()).toBe("good");

    // The next view tries again rather than finding the failure.
    const retry = catalog.get();
    await settle();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve("good again");
    expect(await retry).toBe("good again");
    expect(catalog.lastGood()).toBe("good again");
  });

  it("keeps no last value unless asked to", async () => {
    const sdks = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load: async (type: string) => `${type}.zip` });
    expect(await sdks.get("javascript")).toBe("javascript.zip");
    expect(sdks.lastGood("javascript")).toBeUndefined();
  });

  it("readOwnWrites: after expireTag this process reads afresh before the tag lands; others wait for the tag", async () => {
    nextCache.deferTags = true;
    let version = 0;
    const own = cache.sharedCache({
      name: uniqueName(),
      tags: [cache.TAGS.catalogOverrides],
      revalidate: () => 60,
      load: async () => ++version,
      readOwnWrites: true,
    });
    let otherVersion = 0;
    const other = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalogOverrides], revalidate: () => 60, load: async () => ++otherVersion });
    expect([await own.get(), await other.get()]).toEqual([1, 1]);
    cache.expireTag(cache.TAGS.catalogOverrides);
    expect([await own.get(), await other.get()]).toEqual([2, 1]);
    nextCache.land();
    expect([await own.get(), await other.get()]).toEqual([2, 2]);
  });

  it("lives on globalThis: a second copy of the module (another Next bundle) shares its state and its tags", async () => {
    const name = uniqueName();
    const first = cache.sharedCache({ name, tags: [cache.TAGS.catalog], revalidate: () => 60, load: async () => "from the first bundle", keepLastGood: true });
    expect(await first.get()).toBe("from the first bundle");
    expect((globalThis as Record<string, unknown>)[`__portico${name}`]).toBeDefined();

    vi.resetModules();
    const copy = await import("@/lib/cache/shared");
    expect(copy).not.toBe(cache);
    const second = copy.sharedCache({ name, tags: [copy.TAGS.catalog], revalidate: () => 60, load: async () => "from the second bundle", keepLastGood: true });
    expect(second.lastGood()).toBe("from the first bundle");

    // A cache made by one copy is expired by the other's expireTag.
    const { calls, load } = controlledLoad<string>();
    const catalog = cache.sharedCache({ name: uniqueName(), tags: [cache.TAGS.catalog], revalidate: () => 60, load });
    const before = catalog.get();
    await settle();
    copy.expireTag(copy.TAGS.catalog);
    const after = catalog.get();
    await settle();
    expect(calls).toHaveLength(2);
    calls.forEach((call, i) => call.resolve(`v${i}`));
    expect([await before, await after]).toEqual(["v0", "v1"]);
  });
});

describe("processSingleton", () => {
  it("makes one value per name in the process, and a second copy of the module (another bundle) finds it", async () => {
    const name = uniqueName();
    expect(existingSingleton(name)).toBeUndefined();
    const create = vi.fn(() => ({ users: new Map<string, string>() }));
    const directory = processSingleton(name, create);
    expect(processSingleton(name, create)).toBe(directory);
    expect(create).toHaveBeenCalledTimes(1);

    vi.resetModules();
    const copy = await import("@/lib/cache/process");
    expect(copy.processSingleton).not.toBe(processSingleton);
    expect(copy.existingSingleton(name)).toBe(directory);
    expect(copy.processSingleton(name, create)).toBe(directory);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("existingSingleton never makes the value", () => {
    const name = uniqueName();
    expect(existingSingleton(name)).toBeUndefined();
    expect(existingSingleton(name)).toBeUndefined();
    expect(processSingleton(name, () => "made")).toBe("made");
    expect(existingSingleton(name)).toBe("made");
  });
});

describe("processCache", () => {
  it("is one SizedLru per name in the process, bounded by size", () => {
    const name = uniqueName();
    const specs = processCache<string>(name, 10);
    expect(processCache<string>(name, 10)).toBe(specs);
    specs.set("a", "A", 6);
    specs.set("b", "B", 6);
    expect(specs.get("a")).toBeUndefined();
    expect(specs.get("b")).toBe("B");
  });

  it("remember: concurrent callers share one load; a rejected load is dropped and tried again", async () => {
    const documents = processCache<Promise<string>>(uniqueName());
    const { calls, load } = controlledLoad<string>();
    const [a, b] = [documents.remember("pets", () => load("pets")), documents.remember("pets", () => load("pets"))];
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
    calls[0]!.reject(new Error("bad spec"));
    await expect(a).rejects.toThrow("bad spec");
    await settle();
    const again = documents.remember("pets", () => load("pets"));
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("parsed");
    expect(await again).toBe("parsed");
    expect(await documents.remember("pets", () => load("pets"))).toBe("parsed");
    expect(calls).toHaveLength(2);
  });

  it("remember counts each promise as 1 towards the bound", async () => {
    const indexes = processCache<Promise<number>>(uniqueName(), 2);
    let built = 0;
    const index = (key: string) => indexes.remember(key, async () => ++built);
    await index("v1");
    await index("v2");
    await index("v3");
    expect(await index("v2")).toBe(2);
    expect(await index("v1")).toBe(4);
  });
});
