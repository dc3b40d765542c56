import { z } from "zod";

/**
 * Everything the portal reads from its environment, validated once. In AWS the values are set
 * by infra/ from linked resources and secrets; locally the sandbox sets the same variables.
 */
const configSchema = z.object({
  AWS_REGION: z.string().min(1),
  PORTICO_TABLE: z.string().min(3),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)"),
  AUTH_URL: z.url({ protocol: /^https?$/ }),
  COGNITO_ISSUER: z.url({ protocol: /^https?$/ }),
  COGNITO_CLIENT_ID: z.string().min(1),
  COGNITO_CLIENT_SECRET: z.string().min(1).optional(),
  COGNITO_USER_POOL_ID: z.string().min(1),
  /** Base URL of the Cognito managed login (serves /signup and /logout). */
  COGNITO_DOMAIN_URL: z.url({ protocol: /^https?$/ }),
  /** "false" when the user pool lets only admins create accounts (stage setting auth.selfSignUp). */
  PORTICO_SELF_SIGN_UP: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Portico is misconfigured:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return env[name] === undefined || env[name] === "" ? `${name} is not set` : `${name} is invalid: ${issue.message}`;
    }),
  );
}

let cached: Config | undefined;

/**
 * The portal's absolute origin for links (AUTH_URL, without a trailing slash), and the secret that
 * signs its links: each checked alone, for jobs that have only these (the notifier).
 */
export const siteUrl = (): string => one("AUTH_URL").replace(/\/+$/, "");
export const authSecret = (): string => one("AUTH_SECRET");

function one<K extends keyof Config>(name: K): Config[K] {
  if (cached) return cached[name];
  const parsed = configSchema.shape[name].safeParse(process.env[name]);
  if (parsed.success) return parsed.data as Config[K];
  throw new ConfigError([process.env[name] ? `${name} is invalid: ${parsed.error.issues[0]?.message}` : `${name} is not set`]);
}

/** The validated configuration; throws ConfigError naming every missing or wrong setting. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
