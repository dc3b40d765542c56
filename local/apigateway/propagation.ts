import type { ApiGatewayState, ApiKey, UsagePlan } from "./state";

/** What the data plane reads to let a key through: keys, plans and which keys are in which plans. */
export interface AccessView {
  readonly keyByValue: ReadonlyMap<string, ApiKey>;
  readonly usagePlans: ReadonlyMap<string, UsagePlan>;
  readonly plansByKey: ReadonlyMap<string, ReadonlySet<string>>;
  readonly plansByStage: ReadonlyMap<string, ReadonlySet<string>>;
}

function snapshot(state: ApiGatewayState): AccessView {
  const copySets = (map: ReadonlyMap<string, ReadonlySet<string>>) => new Map([...map].map(([k, v]) => [k, new Set(v)]));
  return {
    keyByValue: new Map([...state.keyByValue].map(([value, key]) => [value, { ...key }])),
    usagePlans: new Map([...state.usagePlans].map(([id, plan]) => [id, structuredClone(plan)])),
    plansByKey: copySets(state.plansByKey),
    plansByStage: copySets(state.plansByStage),
  };
}

/**
 * On AWS, creating, deleting, enabling or disabling a key, adding it to a plan or taking it out,
 * and changing a plan's throttle or quota reach the data plane only after a while (seconds to a few
 * minutes). With a delay set (`SANDBOX_PROPAGATION_MS`, or PUT /_sandbox/apigateway/propagation),
 * the data plane reads a snapshot of the access state taken after each control-plane change and
 * applied `delayMs` later. With 0 (the default) it reads the live state: every change is instant.
 *
 * Each snapshot copies every key and plan, so a delay is meant for trying out propagation, not
 * for loads of thousands of changes.
 */
export class Propagation {
  private delay: number;
  /** The view the data plane sees while a delay is set. */
  private applied?: AccessView;
  private readonly pending: { at: number; view: AccessView }[] = [];

  constructor(
    private readonly state: ApiGatewayState,
    delayMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.delay = 0;
    this.delayMs = delayMs;
  }

  get delayMs(): number {
    return this.delay;
  }

  /** Changing the delay keeps changes already on their way; going back to 0 applies them all now. */
  set delayMs(ms: number) {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`Invalid propagation delay: ${ms}`);
    if (ms > 0 && this.delay === 0) this.applied = snapshot(this.state);
    if (ms === 0) {
      this.applied = undefined;
      this.pending.length = 0;
    }
    this.delay = ms;
  }

  get pendingChanges(): number {
    this.advance();
    return this.pending.length;
  }

  /** Call after every control-plane request that may have changed the state. */
  changed(): void {
    if (this.delay > 0) this.pending.push({ at: this.now() + this.delay, view: snapshot(this.state) });
  }

  /** The access state as the data plane sees it now. */
  current(): AccessView {
    if (this.delay === 0) return this.state;
    this.advance();
    return this.applied!;
  }

  private advance(): void {
    const now = this.now();
    while (this.pending.length && this.pending[0]!.at <= now) this.applied = this.pending.shift()!.view;
  }
}

/** `SANDBOX_PROPAGATION_MS`: milliseconds, 0 or unset for instant. */
export function propagationDelayFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`SANDBOX_PROPAGATION_MS must be a number of milliseconds ≥ 0, got '${value}'`);
  return ms;
}
