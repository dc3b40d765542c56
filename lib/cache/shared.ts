import { revalidateTag, unstable_cache } from "next/cache";
import { getConfig } from "../config";
import { existingSingleton, processSingleton } from "./process";

// Imports next/cache: only for code the Next app runs. The Lambda handlers (functions/) use ./process.

/** Cache tags, defined once: the change that makes data stale expires its tag (expireTag). */
export const TAGS = {
  /** Plan terms, API stages, exported specs and SDKs from API Gateway. */
  catalog: "catalog",
  /** The admins' catalog overrides row: hidden products, SDK switches. */
  catalogOverrides: "catalog-overrides",
} as const;

export type CacheTag = (typeof TAGS)[keyof typeof TAGS];

interface SharedCacheOptions<A extends unknown[], V> {
  /** Names the cache: its state in this process and its entries in Next's data cache. */
  name: string;
  tags: CacheTag[];
  /** Seconds an entry stays fresh; read on first use, as settings load lazily. */
  revalidate: () => number;
  /** Makes the value for `args`; it must survive JSON, which is how Next's data cache stores it. */
  load: (...args: A) => Promise<V>;
  /** What the key names beyond the cache and the deployment; read on first use. */
  key?: () => string[];
  /** Keep each key's last value in this process, to serve when a refresh fails (lastGood). */
  keepLastGood?: boolean;
  /**
   * After expireTag, this process reads afresh at once instead of when the tag lands (once the
   * request ends): its generation joins the key, so processes stop sharing entries after a write.
   * For cheap reads (a GetItem), never for control-plane calls.
   */
  readOwnWrites?: boolean;
}

interface SharedState<A extends unknown[], V> {
  read: (args: A, generation: number | undefined) => Promise<V>;
  /** Bumped by expireTag: a read started before it is neither joined nor kept as last good. */
  generation: number;
  inflight: Map<string, { generation: number; promise: Promise<V> }>;
  lastGood: Map<string, V>;
}

export interface SharedCache<A extends unknown[], V> {
  /** The value for `args` from Next's data cache; concurrent misses in this process share one load, and a failed load rejects. */
  get(...args: A): Promise<V>;
  /** What `get` last returned for `args` in this process (with keepLastGood). */
  lastGood(...args: A): V | undefined;
}

/** The key names the deployment it describes, so a data cache that outlives one can't leak into another. */
function deploymentKey(): string[] {
  const config = getConfig();
  return [config.AWS_REGION, config.COGNITO_USER_POOL_ID, process.env.AWS_ENDPOINT_URL_API_GATEWAY ?? process.env.AWS_ENDPOINT_URL ?? "aws"];
}

/** The names of the shared caches that carry each tag, for expireTag. */
const cachesByTag = () => processSingleton("CachesByTag", () => new Map<CacheTag, Set<string>>());

/**
 * Values every server shares through Next's data cache (unstable_cache), dropped by tag. The
 * process-wide state also matters to Next's side: unstable_cache keys entries by its callback's
 * source text, which differs between bundles.
 */
export function sharedCache<A extends unknown[], V>(options: SharedCacheOptions<A, V>): SharedCache<A, V> {
  const { name, tags, keepLastGood = false, readOwnWrites = false } = options;
  for (const tag of tags) {
    const names = cachesByTag().get(tag) ?? new Set<string>();
    cachesByTag().set(tag, names.add(name));
  }
  const state = () =>
    processSingleton<SharedState<A, V>>(name, () => ({
      read: unstable_cache(
        (args: A, _generation: number | undefined) => options.load(...args),
        [`portico-${name}`, ...deploymentKey(), ...(options.key?.() ?? [])],
        {
          tags,
          revalidate: options.revalidate(),
        },
      ),
      generation: 0,
      inflight: new Map(),
      lastGood: new Map(),
    }));

  return {
    async get(...args) {
      const cache = state();
      const key = JSON.stringify(args);
      const generation = cache.generation;
      let flight = cache.inflight.get(key);
      if (flight?.generation !== generation) {
        const promise = cache.read(args, readOwnWrites ? generation : undefined).finally(() => {
          if (cache.inflight.get(key)?.promise === promise) cache.inflight.delete(key);
        });
        cache.inflight.set(key, (flight = { generation, promise }));
      }
      const value = await flight.promise;
      if (keepLastGood && generation === cache.generation) cache.lastGood.set(key, value);
      return value;
    },
    lastGood: (...args) => existingSingleton<SharedState<A, V>>(name)?.lastGood.get(JSON.stringify(args)),
  };
}

/**
 * Expires every entry tagged `tag`, on every server, once the tag lands (as the request ends).
 * Until then this process joins no read already under way, and readOwnWrites caches read afresh.
 */
export function expireTag(tag: CacheTag): void {
  for (const name of cachesByTag().get(tag) ?? []) {
    const cache = existingSingleton<SharedState<unknown[], unknown>>(name);
    if (cache) cache.generation += 1;
  }
  revalidateTag(tag, { expire: 0 });
}
