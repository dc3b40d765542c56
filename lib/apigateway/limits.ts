/**
 * API Gateway's per-operation limits (AWS-FACTS.md), applied in-process before a request leaves:
 * a burst of key creations queues here for a fraction of a second instead of spending the
 * client's retries against 429s (and the account's shared budget with them).
 */
const OPERATION_LIMITS: Record<string, { rate: number; burst: number }> = {
  CreateApiKey: { rate: 5, burst: 5 },
  DeleteApiKey: { rate: 5, burst: 5 },
  UpdateUsagePlan: { rate: 1 / 20, burst: 1 },
};

class Bucket {
  private tokens: number;
  private updatedAt = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly limit: { rate: number; burst: number }) {
    this.tokens = limit.burst;
  }

  /** Resolves when a request may go; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      const now = Date.now();
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.limit.rate);
      this.updatedAt = now;
      if (this.tokens < 1) {
        const waitMs = ((1 - this.tokens) / this.limit.rate) * 1000;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        this.tokens = 1;
        this.updatedAt = Date.now();
      }
      this.tokens -= 1;
    });
    this.queue = turn;
    return turn;
  }
}

const buckets = new Map<string, Bucket>();

export function waitForTurn(operation: string): Promise<void> | undefined {
  const limit = OPERATION_LIMITS[operation];
  if (!limit) return undefined;
  let bucket = buckets.get(operation);
  if (!bucket) buckets.set(operation, (bucket = new Bucket(limit)));
  return bucket.take();
}
