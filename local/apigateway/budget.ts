/**
 * How far short of a whole token still counts as one: refills such as 1/30 of a token a second add
 * up to a hair under 1 (0.9999999999999999) at the very instant the token is due.
 */
const EPSILON = 1e-9;

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
    if (this.tokens >= 1 - EPSILON) {
      this.tokens = Math.max(0, this.tokens - 1);
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) };
  }
}

const perSecond = (n: number) => ({ rate: n, burst: n });
const oneEvery = (seconds: number) => ({ rate: 1 / seconds, burst: 1 });

/**
 * The account's control-plane budget: 10 requests/s with a burst of 40 for all operations
 * together, and the fixed per-operation quotas of "API Gateway quotas for creating, deploying and
 * managing an API" (developer guide, limits.html). None can be raised in AWS, so the sandbox
 * enforces them by default. "N requests every S seconds" is a bucket of N refilled at N/S per
 * second. The table is the whole REST API (v1) list, including operations the sandbox does not
 * serve; CreateVpcLink and DeleteVpcLink are v2 operations and not here.
 */
export const OPERATION_LIMITS: Readonly<Record<string, { rate: number; burst: number }>> = {
  CreateApiKey: perSecond(5),
  CreateDeployment: oneEvery(5),
  CreateDocumentationVersion: oneEvery(20),
  CreateDomainName: oneEvery(30),
  CreateResource: perSecond(5),
  // Regional and private APIs (the sandbox's); an edge-optimized one is 1 every 30 s.
  CreateRestApi: oneEvery(3),
  DeleteApiKey: perSecond(5),
  DeleteDomainName: oneEvery(30),
  DeleteResource: perSecond(5),
  DeleteRestApi: oneEvery(30),
  GetResources: { rate: 5 / 2, burst: 5 },
  ImportDocumentationParts: oneEvery(30),
  // Regional and private APIs (the sandbox's); an edge-optimized one is 1 every 30 s.
  ImportRestApi: oneEvery(3),
  PutRestApi: perSecond(1),
  UpdateAccount: oneEvery(20),
  UpdateDomainName: oneEvery(30),
  UpdateUsagePlan: oneEvery(20),
};

export class ControlPlaneBudget {
  enabled: boolean;
  private account: TokenBucket;
  private perOperation = new Map<string, TokenBucket>();
  readonly calls = new Map<string, number>();
  throttled = 0;

  constructor(
    enabled: boolean,
    /** Milliseconds, on any scale that only moves forward (tests drive one by hand). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.enabled = enabled;
    this.account = this.accountBucket();
  }

  /** Counts the call; returns the Retry-After seconds when the budget refuses it. */
  admit(operation: string): number | undefined {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    if (!this.enabled) return undefined;
    const limit = OPERATION_LIMITS[operation];
    if (limit) {
      let bucket = this.perOperation.get(operation);
      if (!bucket) this.perOperation.set(operation, (bucket = new TokenBucket(limit.rate, limit.burst, this.now)));
      const own = bucket.take();
      if (!own.ok) return this.refuse(own.retryAfterSeconds);
    }
    const shared = this.account.take();
    return shared.ok ? undefined : this.refuse(shared.retryAfterSeconds);
  }

  reset(): void {
    this.account = this.accountBucket();
    this.perOperation.clear();
    this.calls.clear();
    this.throttled = 0;
  }

  private accountBucket(): TokenBucket {
    return new TokenBucket(10, 40, this.now);
  }

  private refuse(retryAfterSeconds: number): number {
    this.throttled += 1;
    return retryAfterSeconds;
  }
}
