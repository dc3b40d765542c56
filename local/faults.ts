import { z } from "zod";

/** Faults injected per service: a share of requests throttled or failed, and added latency. */
export const faultSchema = z.object({
  throttleRate: z.number().min(0).max(1).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Deterministic faults for tests: the next N requests are throttled / fail. */
  throttleNext: z.number().int().min(0).default(0),
  errorNext: z.number().int().min(0).default(0),
  /** Lets the next N requests through before `throttleNext`/`errorNext` apply: a fault in the middle of an operation. */
  passNext: z.number().int().min(0).default(0),
});
export type Fault = z.infer<typeof faultSchema>;

export const faultsSchema = z.record(z.string(), faultSchema);

export class Faults {
  private readonly byService = new Map<string, Fault>();

  set(service: string, fault: Partial<Fault>): Fault {
    const next = faultSchema.parse({ ...this.byService.get(service), ...fault });
    this.byService.set(service, next);
    return next;
  }

  /** Decides the fate of one request to `service`. */
  draw(service: string): "throttle" | "error" | undefined {
    const fault = this.get(service);
    if (!fault) return undefined;
    if (fault.passNext > 0 && (fault.throttleNext > 0 || fault.errorNext > 0)) {
      fault.passNext -= 1;
      return undefined;
    }
    if (fault.throttleNext > 0) {
      fault.throttleNext -= 1;
      return "throttle";
    }
    if (fault.errorNext > 0) {
      fault.errorNext -= 1;
      return "error";
    }
    const roll = Math.random();
    if (roll < fault.throttleRate) return "throttle";
    if (roll < fault.throttleRate + fault.errorRate) return "error";
    return undefined;
  }

  clear(): void {
    this.byService.clear();
  }

  get(service: string): Fault | undefined {
    return this.byService.get(service) ?? this.byService.get("*");
  }

  snapshot(): Record<string, Fault> {
    return Object.fromEntries(this.byService);
  }

  /** Parses `SANDBOX_FAULTS`, e.g. `{"apigateway":{"throttleRate":0.5}}`. */
  static fromEnv(value: string | undefined): Faults {
    const faults = new Faults();
    if (!value) return faults;
    for (const [service, fault] of Object.entries(faultsSchema.parse(JSON.parse(value)))) faults.set(service, fault);
    return faults;
  }
}
