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

/** How many admission times the sandbox keeps for the sliding 1-second window (bounded memory). */
const ADMISSIONS_KEPT = 100_000;
/** How many calendar seconds of per-second counts the sandbox keeps (an hour). */
const SECONDS_KEPT = 3_600;

/** Admitted and throttled requests in one calendar second. */
export interface SecondCount {
  /** Whole seconds: of the Unix epoch on the wall clock, of the injected clock in tests. */
  second: number;
  admitted: number;
  throttled: number;
}

/**
 * What the budget admitted, second by second: the most in any calendar second and in any sliding
 * 1-second window (every caller together, as AWS counts them), exact however long it runs, and the
 * last hour's per-second counts. Memory is bounded: a ring of the last 100,000 admission times
 * (the sliding window needs only the last second's) and an hour of counters. Reset with the budget.
 */
export class AdmissionRecorder {
  private readonly times = new Float64Array(ADMISSIONS_KEPT);
  /** Admissions recorded so far; the ring holds the last min(recorded, ADMISSIONS_KEPT). */
  private recorded = 0;
  /** Index (in `recorded` terms) of the oldest admission less than a second before the newest. */
  private windowStart = 0;
  private readonly seconds = new Map<number, SecondCount>();
  maxCalendarSecond = 0;
  maxCalendarSecondAt: number | undefined;
  maxSlidingSecond = 0;
  maxThrottledCalendarSecond = 0;

  /** `epochOffsetMs` turns the clock's milliseconds into the Unix epoch's (performance.timeOrigin for performance.now). */
  constructor(private readonly epochOffsetMs = 0) {}

  get admitted(): number {
    return this.recorded;
  }

  admit(at: number): void {
    this.times[this.recorded % ADMISSIONS_KEPT] = at;
    this.recorded += 1;
    // The sliding window ending now holds the admissions in (at - 1000, at]; the ring always covers
    // it unless more than ADMISSIONS_KEPT arrive within one second.
    this.windowStart = Math.max(this.windowStart, this.recorded - ADMISSIONS_KEPT);
    while (this.windowStart < this.recorded && this.times[this.windowStart % ADMISSIONS_KEPT]! <= at - 1000) this.windowStart += 1;
    const inWindow = this.recorded - this.windowStart;
    this.maxSlidingSecond = Math.max(this.maxSlidingSecond, inWindow);
    const count = this.second(at);
    count.admitted += 1;
    if (count.admitted > this.maxCalendarSecond) {
      this.maxCalendarSecond = count.admitted;
      this.maxCalendarSecondAt = count.second;
    }
  }

  /** Requests refused so far. */
  throttledCount = 0;

  throttle(at: number): void {
    this.throttledCount += 1;
    const count = this.second(at);
    count.throttled += 1;
    this.maxThrottledCalendarSecond = Math.max(this.maxThrottledCalendarSecond, count.throttled);
  }

  /** The kept per-second counts, oldest first (seconds with no request are left out). */
  series(): SecondCount[] {
    return [...this.seconds.values()].map((c) => ({ ...c }));
  }

  private second(at: number): SecondCount {
    const second = Math.floor((at + this.epochOffsetMs) / 1000);
    let count = this.seconds.get(second);
    if (!count) {
      this.seconds.set(second, (count = { second, admitted: 0, throttled: 0 }));
      // Map keeps insertion order and the clock only moves forward: the first key is the oldest.
      if (this.seconds.size > SECONDS_KEPT) this.seconds.delete(this.seconds.keys().next().value!);
    }
    return count;
  }
}

export class ControlPlaneBudget {
  enabled: boolean;
  private account: TokenBucket;
  private perOperation = new Map<string, TokenBucket>();
  readonly calls = new Map<string, number>();
  throttled = 0;
  /** When each request was admitted (or refused), every caller together. */
  admissions: AdmissionRecorder;
  /** The same, per caller (the access key id that signed the request): whose requests took the budget, as CloudTrail would tell. */
  byCaller = new Map<string, AdmissionRecorder>();

  private readonly now: () => number;
  /** Added to `now()` for calendar seconds: the Unix epoch of performance.now()'s origin, 0 for a test's clock. */
  private readonly epochOffsetMs: number;

  constructor(
    enabled: boolean,
    /** Milliseconds, on any scale that only moves forward (tests drive one by hand); performance.now() if not given. */
    clock?: () => number,
  ) {
    this.enabled = enabled;
    this.now = clock ?? (() => performance.now());
    this.epochOffsetMs = clock ? 0 : performance.timeOrigin;
    this.account = this.accountBucket();
    this.admissions = new AdmissionRecorder(this.epochOffsetMs);
  }

  /** Counts the call (by `caller`, an access key id, too); returns the Retry-After seconds when the budget refuses it. */
  admit(operation: string, caller = "unknown"): number | undefined {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const retryAfter = this.check(operation);
    let own = this.byCaller.get(caller);
    if (!own) this.byCaller.set(caller, (own = new AdmissionRecorder(this.epochOffsetMs)));
    for (const recorder of [this.admissions, own]) {
      if (retryAfter === undefined) recorder.admit(this.now());
      else recorder.throttle(this.now());
    }
    return retryAfter;
  }

  reset(): void {
    this.account = this.accountBucket();
    this.perOperation.clear();
    this.calls.clear();
    this.throttled = 0;
    this.admissions = new AdmissionRecorder(this.epochOffsetMs);
    this.byCaller.clear();
  }

  private check(operation: string): number | undefined {
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

  private accountBucket(): TokenBucket {
    return new TokenBucket(10, 40, this.now);
  }

  private refuse(retryAfterSeconds: number): number {
    this.throttled += 1;
    return retryAfterSeconds;
  }
}
