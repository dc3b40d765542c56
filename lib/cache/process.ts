/**
 * Caches live on globalThis under `__portico<name>`: Next bundles a module separately for pages
 * and for route handlers, so module-level state would exist once per bundle, not once per process.
 * No Next import here: the Lambda handlers in functions/ use this module too.
 */
const slots = globalThis as unknown as Record<string, unknown>;

/** The one value named `name` in this process, made by `create` on first use. */
export function processSingleton<T>(name: string, create: () => T): T {
  return (slots[`__portico${name}`] ??= create()) as T;
}

/** The value named `name` if something made it already (see processSingleton). */
export const existingSingleton = <T>(name: string) => slots[`__portico${name}`] as T | undefined;

/** A least-recently-used map bounded by the total size of its values (as the caller measures them). */
export class SizedLru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(private readonly maxSize: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size: number): V {
    this.delete(key);
    this.entries.set(key, { value, size });
    this.total += size;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.maxSize || oldest === key) break;
      this.delete(oldest);
    }
    return value;
  }

  /**
   * The promise kept under `key`, else `load`'s, kept at once so concurrent callers share it
   * (counting 1 towards the bound). One that rejects is dropped: the next call loads again.
   */
  remember<T>(this: SizedLru<Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const kept = this.get(key);
    if (kept) return kept;
    const promise = load();
    promise.catch(() => {
      if (this.entries.get(key)?.value === promise) this.delete(key);
    });
    return this.set(key, promise, 1);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.size;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/** This process's memory only (values that can't or needn't be shared), bounded by `maxSize`. */
export function processCache<V>(name: string, maxSize = Infinity): SizedLru<V> {
  return processSingleton(name, () => new SizedLru<V>(maxSize));
}
