import { z } from "zod";

/**
 * The stage's limits (stage setting `limits`, README "Limits"): how much of the account's API
 * Gateway control-plane budget the portal may spend, and how often one person or one IP address may
 * do each costly thing. infra/ validates them at deploy time and passes them to every function as
 * PORTICO_LIMITS (JSON); without it, these defaults apply.
 */

/** "At most `requests` every `seconds`": a bucket of `requests`, refilled evenly over `seconds`. */
const window = z.strictObject({
  requests: z.number().int().min(1).max(100_000),
  seconds: z.number().int().min(1).max(86_400),
});
export type Window = z.infer<typeof window>;

/** A portal action's limits; each part has its own default, so setting one keeps the other. */
const rule = (defaults: { perUser?: Window; perToken?: Window; perIp: Window }) =>
  z
    .strictObject({
      /** Per signed-in person (admins are exempt). */
      perUser: defaults.perUser ? window.default(defaults.perUser) : z.undefined({ error: "this action has no per-user limit" }).optional(),
      /** Per portal token (lib/tokens), admins' included. */
      perToken: defaults.perToken ? window.default(defaults.perToken) : z.undefined({ error: "this action has no per-token limit" }).optional(),
      /** Per client IP address, signed in or not. */
      perIp: window.default(defaults.perIp),
    })
    .prefault({});

export const limitsSchema = z.strictObject({
  controlPlane: z
    .strictObject({
      /** Requests per second, of the account's 10 (shared with deploys and consoles), every portal process together may send. */
      share: z.number().min(0.1).max(10).default(5),
      /** How many of them may go at once after a quiet spell (the account's own burst is 40). */
      burst: z.number().int().min(1).max(40).default(10),
      /** Longest a person waits for a turn before "busy, try again in N s" (a request's waits end within 15 s anyway: the server function's timeout is 20 s). */
      waitSeconds: z.number().min(0).max(15).default(6),
      /** Longest a background job (sweeper, reconciler, usage collector, Marketplace listener) waits for one call. */
      backgroundWaitSeconds: z.number().min(0).max(600).default(60),
      /**
       * "shared": one budget for the whole stage, kept in the DynamoDB table. "process": each process
       * paces only API Gateway's per-operation quotas on its own (Portico before the shared budget; for comparison).
       */
      pacing: z.enum(["shared", "process"]).default("shared"),
    })
    .prefault({}),
  portal: z
    .strictObject({
      /** Creating, rotating, revoking, enabling, disabling or renaming a key (Marketplace activation included). */
      keys: rule({ perUser: { requests: 20, seconds: 600 }, perIp: { requests: 60, seconds: 600 } }),
      /** Creating or revoking a portal token (lib/tokens). */
      tokens: rule({ perUser: { requests: 20, seconds: 600 }, perIp: { requests: 60, seconds: 600 } }),
      /** Changing notification preferences and webhook endpoints, rotating their secrets, sending test events (lib/notifications). */
      notifications: rule({ perUser: { requests: 30, seconds: 600 }, perIp: { requests: 90, seconds: 600 } }),
      /** Creating, renaming and deleting teams; invitations, joining, roles and removals (lib/teams). */
      teams: rule({ perUser: { requests: 30, seconds: 600 }, perIp: { requests: 90, seconds: 600 } }),
      /** Subscribing, unsubscribing, requesting access. */
      subscriptions: rule({ perUser: { requests: 20, seconds: 600 }, perIp: { requests: 60, seconds: 600 } }),
      /** Revealing a key's value and refreshing usage from API Gateway: reads, but each one spends the control-plane budget. */
      liveReads: rule({ perUser: { requests: 60, seconds: 600 }, perIp: { requests: 240, seconds: 600 } }),
      /** Try-it calls relayed to an API. */
      tryIt: rule({ perUser: { requests: 60, seconds: 60 }, perIp: { requests: 120, seconds: 60 } }),
      /** Starting a sign-in or a sign-up (each one sends the browser to Cognito). */
      signIn: rule({ perIp: { requests: 30, seconds: 600 } }),
      /**
       * Every request to the Developer API (/api/v1) and to the MCP server (/mcp: one JSON-RPC message
       * each, batches are refused): per token, and per IP address (anonymous MCP requests too). The
       * actions above apply on top, per person.
       */
      agents: rule({ perToken: { requests: 120, seconds: 60 }, perIp: { requests: 300, seconds: 60 } }),
    })
    .prefault({}),
});

export type Limits = z.infer<typeof limitsSchema>;
export type LimitsInput = z.input<typeof limitsSchema>;
export type PortalAction = keyof Limits["portal"];

/** The environment variable infra/ and the sandbox set (JSON of a LimitsInput). */
export const LIMITS_ENV = "PORTICO_LIMITS";

export function parseLimits(json: string | undefined): Limits {
  let input: unknown = {};
  if (json?.trim()) {
    try {
      input = JSON.parse(json);
    } catch {
      throw new Error(`${LIMITS_ENV} is not valid JSON`);
    }
  }
  const parsed = limitsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`${LIMITS_ENV} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

let cached: { json: string | undefined; limits: Limits } | undefined;

/** The limits this process runs with (read again if the environment changed, as the sandbox's functions do). */
export function getLimits(): Limits {
  const json = process.env[LIMITS_ENV];
  if (!cached || cached.json !== json) cached = { json, limits: parseLimits(json) };
  return cached.limits;
}
