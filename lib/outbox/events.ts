import { z } from "zod";

/**
 * What the portal tells people about, by email and signed webhooks: each notice type, its category
 * (what people opt in or out of) and the facts it carries. Notices are made from what the portal
 * already stores (usage rows, audit entries): none costs a control-plane call.
 */

/** What a person can switch on or off, per channel (lib/notifications/preferences.ts). */
export const CATEGORIES = {
  quota: { label: "Quota alerts", description: "A key's use of a plan reaches 80 % and 100 % of its quota." },
  security: {
    label: "Key security",
    description: "A key is created or rotated, and a key stops working soon or stopped (a rotation's grace period or its expiry).",
  },
  hygiene: { label: "Key hygiene", description: "A key hasn't been used for a while." },
  access: { label: "Subscription decisions", description: "An administrator approves or rejects a subscription request." },
  marketplace: { label: "AWS Marketplace", description: "A Marketplace subscription is confirmed or ends." },
  webhooks: { label: "Webhook problems", description: "A webhook endpoint is disabled after failing for too long." },
  admin: { label: "Administration", description: "New approval requests and sign-ups waiting for approval (administrators only)." },
  /** Sent to the address a team invites, whatever anyone's preferences (someone asked for it): not on the preferences page. */
  invitations: { label: "Team invitations", description: "An invitation to join a team, sent to the address invited." },
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as [Category, ...Category[]];

export const CHANNELS = ["email", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

const key = { keyId: z.string(), keyName: z.string(), keyHint: z.string() };
const plan = { planId: z.string(), productName: z.string() };
const iso = z.string(); // ISO 8601 timestamps, written by the portal itself

/** Each notice type: its category and the facts its email and webhook payload carry. */
export const NOTICE_TYPES = {
  /** A key's use of a plan crossed 80 % or 100 % of the quota period (once per threshold, period, key and plan). */
  "quota.threshold": {
    category: "quota",
    data: z.object({
      ...key,
      ...plan,
      threshold: z.union([z.literal(80), z.literal(100)]),
      used: z.number().int().nonnegative(),
      limit: z.number().int().positive(),
      period: z.enum(["DAY", "WEEK", "MONTH"]),
      resetsAt: iso,
    }),
  },
  "key.created": { category: "security", data: z.object(key) },
  "key.rotated": { category: "security", data: z.object({ ...key, newKeyId: z.string(), newKeyName: z.string(), retiresAt: iso }) },
  /** A rotated (or expiring) key stops working within 24 h. */
  "key.retiring-soon": { category: "security", data: z.object({ ...key, retiresAt: iso }) },
  /** A rotated or expired key has stopped working and was deleted. */
  "key.retired": { category: "security", data: z.object({ ...key, retiredAt: iso, reason: z.enum(["rotated", "expired"]) }) },
  "key.unused": { category: "hygiene", data: z.object({ ...key, days: z.number().int().positive(), lastUsedDay: z.string().optional() }) },
  "subscription.approved": { category: "access", data: z.object(plan) },
  "subscription.rejected": { category: "access", data: z.object({ ...plan, reason: z.string().optional() }) },
  "marketplace.confirmed": { category: "marketplace", data: z.object(plan) },
  "marketplace.ended": { category: "marketplace", data: z.object({ ...plan, reason: z.string().optional() }) },
  /** To the endpoint's owner, by email only: it failed for too long and was switched off. */
  "webhook.disabled": { category: "webhooks", data: z.object({ endpointId: z.string(), url: z.string(), failingSince: iso, lastStatus: z.string() }) },
  /** To every administrator. */
  "admin.approval-requested": { category: "admin", data: z.object({ ...plan, userEmail: z.string().nullable() }) },
  "admin.signup-pending": { category: "admin", data: z.object({ userEmail: z.string().nullable() }) },
  /** "Send test event" on a webhook endpoint: webhook only, to that endpoint only. */
  "webhook.test": { category: "webhooks", data: z.object({ endpointId: z.string() }) },
  /**
   * To the invited address (not to a person's preferences), by email only; queued in the team's partition. It carries no
   * secret: the notifier works the link out from the invitation when it sends (lib/teams/invite-link.ts), and sends nothing
   * once the invitation is gone or was resent (`sent` is no longer its count).
   */
  "team.invited": {
    category: "invitations",
    data: z.object({
      inviteId: z.string(),
      sent: z.number().int().positive(),
      email: z.string(),
      role: z.enum(["admin", "member", "viewer"]),
      teamName: z.string(),
      invitedBy: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
      expiresAt: iso,
    }),
  },
} as const satisfies Record<string, { category: Category; data: z.ZodType }>;

export type NoticeType = keyof typeof NOTICE_TYPES;
export type NoticeData<T extends NoticeType> = z.infer<(typeof NOTICE_TYPES)[T]["data"]>;

/** One thing that happened, for one person. `id` is the idempotency key: the same event is only ever queued once. */
export type Notice = {
  [T in NoticeType]: {
    id: string;
    type: T;
    userId: string;
    /** When it happened (ISO). */
    at: string;
    data: NoticeData<T>;
    /** Set when it happened to a team's access (lib/teams) and is told to its owners and admins. */
    team?: { slug: string; name: string };
  };
}[NoticeType];

/**
 * The audience of a notice for every administrator: queued once under this pseudo-person, then
 * fanned out by the notifier to each active admin (their own preferences, their own log).
 */
export const ADMINS = "admins";

export const categoryOf = (type: NoticeType): Category => NOTICE_TYPES[type].category;
