import { z } from "zod";

/** Faults injected per service: a share of requests throttled or failed, and added latency. */
export const faultSchema = z.object({
  throttleRate: z.number().min(0).max(1).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  latencyMs: z.number().int().min(0).max(60_000).default(0),
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
