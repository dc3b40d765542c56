import { z } from "zod";
import { ConfigError } from "../config";

/**
 * PORTICO_WEBHOOKS_ALLOW_PRIVATE: "1" lets webhook endpoints be `http:` and loopback or private
 * addresses — for the local sandbox and tests, whose receivers listen on 127.0.0.1. Unset (the
 * default, and what infra/ deploys) refuses them. A setting, not an "if local" branch.
 *
 * Read here rather than in lib/config.ts: deliveries run in jobs whose environment has none of the
 * web app's settings (AUTH_SECRET, Cognito), which getConfig() requires.
 */
export const ALLOW_PRIVATE_SETTING = "PORTICO_WEBHOOKS_ALLOW_PRIVATE";

const flag = z.enum(["0", "1", "true", "false"], { error: 'must be "1" or "0"' }).optional();

/** Whether loopback and private webhook targets (and plain http:) are allowed; throws ConfigError on a bad value. */
export function allowPrivateTargets(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env[ALLOW_PRIVATE_SETTING];
  const parsed = flag.safeParse(raw === "" ? undefined : raw);
  if (!parsed.success) throw new ConfigError([`${ALLOW_PRIVATE_SETTING} is invalid: ${parsed.error.issues[0]?.message}`]);
  return parsed.data === "1" || parsed.data === "true";
}
