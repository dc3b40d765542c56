import type { LimitsInput } from "../lib/limits/settings";

/**
 * The stage setting `limits` the journeys run with (playwright.config.ts passes it to the portal as
 * PORTICO_LIMITS). Every request of the suite comes from 127.0.0.1, so the per-IP limits are raised
 * out of reach. The per-user ones stay real but out of reach of every journey but
 * e2e/rate-limits.spec.ts: the route fuzzer alone makes about 110 key changes (and 60 try-it calls)
 * as the seeded developer, and each other journey signs up its own user and makes a handful. Key
 * changes refill over a day, so a user who has spent them waits minutes, not seconds.
 */
export const KEY_CHANGES_PER_USER = 200;

const unreachable = (seconds: number) => ({ requests: 100_000, seconds });

export const E2E_LIMITS = {
  portal: {
    keys: { perUser: { requests: KEY_CHANGES_PER_USER, seconds: 86_400 }, perIp: unreachable(600) },
    tokens: { perUser: { requests: 1_000, seconds: 600 }, perIp: unreachable(600) },
    subscriptions: { perUser: { requests: 1_000, seconds: 600 }, perIp: unreachable(600) },
    liveReads: { perUser: { requests: 1_000, seconds: 600 }, perIp: unreachable(600) },
    tryIt: { perUser: { requests: 1_000, seconds: 60 }, perIp: unreachable(60) },
    notifications: { perUser: { requests: 1_000, seconds: 600 }, perIp: unreachable(600) },
    teams: { perUser: { requests: 1_000, seconds: 600 }, perIp: unreachable(600) },
    signIn: { perIp: unreachable(600) },
    agents: { perToken: unreachable(60), perIp: unreachable(60) },
  },
} satisfies LimitsInput;
