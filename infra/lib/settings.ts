import { z } from "zod";
import { JOBS, type JobName } from "../../functions/jobs";
import { limitsSchema } from "../../lib/limits/settings";

/**
 * The deploy settings of one stage, validated before anything is created. Pure (no SST globals)
 * so that `npm test` checks every stage in infra/stages.ts. Each field's default is what a
 * portal without the setting gets; the README's "Deploy to AWS" section lists them all.
 */

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase host name such as developer.example.com");

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS Region such as us-east-1");

const snsTopicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/, "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");

const acmCertificateArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
    "must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from there)",
  );

const sesIdentityArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:ses:[a-z]{2}(-[a-z]+)+-\d:\d{12}:identity\/.+$/,
    "must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)",
  );

export type ScheduleExpression = `rate(${string})` | `cron(${string})`;

/** EventBridge Scheduler expressions; `rate()` wants the singular unit for 1 and the plural otherwise. */
export const scheduleExpression = z
  .string()
  .regex(
    /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/,
    'must be "rate(<n> minutes|hours|days)" (singular for 1) or "cron(<6 fields>)"',
  )
  .transform((v) => v as ScheduleExpression);

/** One schedule setting per job, defaulting to the job's own schedule. */
function jobSchedules() {
  const schedules = Object.values(JOBS).map((job) => [job.setting, scheduleExpression.default(job.schedule)] as const);
  return Object.fromEntries(schedules) as { [N in JobName as (typeof JOBS)[N]["setting"]]: (typeof schedules)[number][1] };
}

/** Cognito prefix domains: lowercase letters, digits and hyphens, and none of the reserved words. */
export const cognitoDomainPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be 1-63 lowercase letters, digits or hyphens")
  .refine((v) => !/aws|amazon|cognito/.test(v), 'must not contain "aws", "amazon" or "cognito" (Cognito rejects them)');

const settingsSchema = z
  .strictObject({
    /** Where the stage runs. Marketplace notifications only arrive in us-east-1. */
    region: region.default("us-east-1"),
    /** The portal's own domain (Route 53 hosted zone in this account), or a name plus a us-east-1 ACM certificate for DNS hosted elsewhere. */
    domain: z
      .union([
        hostname,
        z.strictObject({
          name: hostname,
          /** Extra names that redirect to `name`, e.g. www.developer.example.com. */
          redirects: z.array(hostname).default([]),
          /** With a certificate, DNS is yours to point at CloudFront (a CNAME to the distribution). */
          cert: acmCertificateArn.optional(),
        }),
      ])
      .optional()
      .transform((d) => (typeof d === "string" ? { name: d, redirects: [] as string[], cert: undefined } : d)),
    auth: z
      .strictObject({
        /** Prefix of the managed-login domain <prefix>.auth.<region>.amazoncognito.com; defaults to portico-<stage>-<account id>. */
        domainPrefix: cognitoDomainPrefix.optional(),
        /** "optional": users may add an authenticator app (TOTP); "required": everyone must; "off": nobody can. */
        mfa: z.enum(["off", "optional", "required"]).default("optional"),
        /** Sign-in with passkeys (WebAuthn) on the managed login next to passwords. */
        passkeys: z.boolean().default(true),
        passwordMinLength: z.number().int().min(8).max(99).default(12),
        /**
         * false: only admins create accounts (Cognito's AllowAdminCreateUserOnly): the managed login
         * offers no sign-up and the pool refuses SignUp, so the portal is invite-only for good.
         */
        selfSignUp: z.boolean().default(true),
        /** Cognito's own mailer sends at most 50 emails a day; production sign-ups want SES. */
        email: z.strictObject({ from: z.email(), sesIdentityArn }).optional(),
      })
      .prefault({}),
    /**
     * Notices by email through SES (infra/email.ts): the sender, at a domain SES verifies with DKIM
     * (the domain of `from` unless `domain` names a parent of it). Without it the portal sends no
     * email: the notifier still delivers webhooks, and email deliveries are logged as skipped.
     */
    email: z
      .strictObject({
        from: z.email("must be an email address such as notifications@example.com").transform((v) => v.toLowerCase()),
        domain: hostname.optional(),
      })
      .optional()
      .transform((e, ctx) => {
        if (!e) return undefined;
        const fromDomain = e.from.slice(e.from.lastIndexOf("@") + 1);
        const domain = e.domain ?? fromDomain;
        // A verified domain covers its subdomains' addresses too, and nothing else.
        if (fromDomain !== domain && !fromDomain.endsWith(`.${domain}`)) {
          ctx.addIssue({ code: "custom", path: ["from"], message: `must be an address at ${domain} or one of its subdomains` });
          return z.NEVER;
        }
        return { from: e.from, domain };
      }),
    marketplace: z
      .strictObject({
        /** SNS topics AWS Marketplace gives the seller (subscription, entitlement). Listening turns on when this is non-empty. */
        topicArns: z.array(snsTopicArn).default([]),
      })
      .prefault({}),
    waf: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Requests per IP within the window before WAF blocks that IP; static assets do not count. */
        rateLimit: z.number().int().min(10).max(2_000_000_000).default(2000),
        rateWindowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]).default(300),
        /** Count instead of block: watch the metrics before enforcing. */
        countOnly: z.boolean().default(false),
      })
      .prefault({}),
    /** Each job's schedule, by its `setting` in functions/jobs.ts (e.g. `jobs.keySweeper`). */
    jobs: z.strictObject(jobSchedules()).prefault({}),
    /** The audit log's locked copy in S3 (infra/audit.ts; README "Audit archive"). */
    auditArchive: z
      .strictObject({
        /**
         * Object Lock mode. "compliance": nobody, not even the account's root user, can delete an
         * archived entry or shorten its lock until the lock ends. "governance": principals allowed
         * s3:BypassGovernanceRetention can (Portico's roles never are). Defaults to compliance when
         * the stage keeps its data and governance otherwise, so removing a test stage empties the bucket.
         */
        mode: z.enum(["governance", "compliance"]).optional(),
        /** How long each archived entry stays locked. */
        retentionDays: z.number().int().min(1).max(36_500).default(365),
      })
      .prefault({}),
    /**
     * The share of the account's API Gateway control-plane budget every portal process together may
     * spend, and the portal's own rate limits per person and per IP address (lib/limits/settings.ts,
     * README "Limits"). Passed to every function that calls API Gateway as PORTICO_LIMITS.
     */
    limits: limitsSchema.prefault({}),
    /**
     * Let only CloudFront call the site's Lambda function URLs (origin access control, with a
     * Lambda@Edge function signing request bodies), so nobody can go around the WAF.
     */
    protectOrigin: z.boolean().default(true),
    /** Keep the table, user pool and buckets on `sst remove`, and turn on deletion protection. Defaults to true for prod/production. */
    retainData: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.auth.passkeys && s.auth.mfa === "required") {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "passkeys"],
        message:
          'passkeys cannot be combined with auth.mfa "required" (a passkey sign-in is a single factor in this setup); use mfa "optional" or turn passkeys off',
      });
    }
    // SNS notifications and agreement events both come from us-east-1 only, and the subscriptions
    // and the EventBridge rule have to be created there.
    if (s.marketplace.topicArns.length > 0 && s.region !== "us-east-1") {
      ctx.addIssue({
        code: "custom",
        path: ["region"],
        message: `AWS Marketplace notifies in us-east-1 only: a stage with marketplace.topicArns must deploy there, not to ${s.region}`,
      });
    }
    for (const [i, arn] of s.marketplace.topicArns.entries()) {
      const topicRegion = arn.split(":")[3];
      if (topicRegion !== "us-east-1") {
        ctx.addIssue({ code: "custom", path: ["marketplace", "topicArns", i], message: `AWS Marketplace topics are in us-east-1, not ${topicRegion}` });
      }
    }
  });

export type StageSettingsInput = z.input<typeof settingsSchema>;

export type StageSettings = Omit<z.output<typeof settingsSchema>, "retainData" | "auditArchive"> & {
  stage: string;
  retainData: boolean;
  auditArchive: { mode: "governance" | "compliance"; retentionDays: number };
  /** Marketplace integration is on when at least one topic is configured. */
  marketplaceEnabled: boolean;
};

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid deploy settings (infra/stages.ts):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** Stage names become resource names and URLs: keep them short and DNS-safe. */
const stageName = /^[a-z][a-z0-9-]{0,24}$/;

/** The validated settings of `stage`; throws SettingsError naming every wrong setting as `<stage>.<path>`. */
export function settingsFor(stage: string, stages: Record<string, StageSettingsInput | undefined>): StageSettings {
  if (!stageName.test(stage)) {
    throw new SettingsError([`stage "${stage}": must start with a letter and use at most 25 lowercase letters, digits or hyphens`]);
  }
  const parsed = settingsSchema.safeParse(stages[stage] ?? {});
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => {
        const where = [stage, ...issue.path.map(String)].join(".");
        return `${where}: ${issue.message}`;
      }),
    );
  }
  const { retainData: retain, ...settings } = parsed.data;
  const retainData = retain ?? ["prod", "production"].includes(stage);
  return {
    ...settings,
    stage,
    retainData,
    auditArchive: { ...settings.auditArchive, mode: settings.auditArchive.mode ?? (retainData ? "compliance" : "governance") },
    marketplaceEnabled: settings.marketplace.topicArns.length > 0,
  };
}

/**
 * What `app()` in sst.config.ts needs (the Region and the removal policy) without throwing: SST
 * reports errors thrown there only as "Unexpected error", so `run()` validates and explains.
 */
export function appSettings(stage: string, stages: Record<string, StageSettingsInput | undefined>): { region: string; retainData: boolean } {
  try {
    const { region, retainData } = settingsFor(stage, stages);
    return { region, retainData };
  } catch {
    return { region: "us-east-1", retainData: true };
  }
}
