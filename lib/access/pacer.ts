/**
 * Spaces out a job's control-plane calls so it uses a fixed share of the account's 10 rps budget
 * (shared with the portal, deploys and consoles) instead of bursting through it.
 */
export function pacer(ratePerSecond: number): () => Promise<void> {
  const gap = 1000 / ratePerSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}
