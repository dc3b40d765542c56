/** A token bucket: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token, or returns the seconds until one is available. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) };
  }
}

/**
 * The account's control-plane budget (AWS-FACTS.md): 10 rps, burst 40 for all operations
 * together, with tighter limits on a few. Not raisable in AWS, so the sandbox enforces it by default.
 */
const OPERATION_LIMITS: Record<string, { rate: number; burst: number }> = {
  CreateApiKey: { rate: 5, burst: 5 },
  DeleteApiKey: { rate: 5, burst: 5 },
  UpdateUsagePlan: { rate: 1 / 20, burst: 1 },
};

export class ControlPlaneBudget {
  enabled: boolean;
  private account = new TokenBucket(10, 40);
  private perOperation = new Map<string, TokenBucket>();
  readonly calls = new Map<string, number>();
  throttled = 0;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /** Counts the call; returns the Retry-After seconds when the budget refuses it. */
  admit(operation: string): number | undefined {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    if (!this.enabled) return undefined;
    const limit = OPERATION_LIMITS[operation];
    if (limit) {
      let bucket = this.perOperation.get(operation);
      if (!bucket) this.perOperation.set(operation, (bucket = new TokenBucket(limit.rate, limit.burst)));
      const own = bucket.take();
      if (!own.ok) return this.refuse(own.retryAfterSeconds);
    }
    const shared = this.account.take();
    return shared.ok ? undefined : this.refuse(shared.retryAfterSeconds);
  }

  reset(): void {
    this.account = new TokenBucket(10, 40);
    this.perOperation.clear();
    this.calls.clear();
    this.throttled = 0;
  }

  private refuse(retryAfterSeconds: number): number {
    this.throttled += 1;
    return retryAfterSeconds;
  }
}
