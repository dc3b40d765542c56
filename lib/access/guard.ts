import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What a caller above lib/access asks to run inside an owner's lease: lib/teams re-checks the
 * member's role there (a role taken away while the request waited for the lease can't be acted
 * on), and records who was shown a team key's value (create and rotate return it), so removing
 * them can rotate it. Installed around one request's work with `guarded`; changeAccess runs the
 * check first thing under the lease, createKey and rotateKey report the value they show.
 */
export interface LeaseGuard {
  ownerId: string;
  check(): Promise<void>;
  shown?(keyId: string): Promise<void>;
}

const guards = new AsyncLocalStorage<LeaseGuard | undefined>();

export const guarded = <T>(guard: LeaseGuard, work: () => Promise<T>): Promise<T> => guards.run(guard, work);

/** Work that shows no one anything (e.g. rotations a removal asks for): the request's guard stays out of it. */
export const unguarded = <T>(work: () => Promise<T>): Promise<T> => guards.run(undefined, work);

export async function checkGuard(ownerId: string): Promise<void> {
  const guard = guards.getStore();
  if (guard?.ownerId === ownerId) await guard.check();
}

export async function keyValueShown(ownerId: string, keyId: string): Promise<void> {
  const guard = guards.getStore();
  if (guard?.ownerId === ownerId) await guard.shown?.(keyId);
}
