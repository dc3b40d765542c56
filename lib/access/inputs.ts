import { z } from "zod";
import { KEY_NAME_MAX_LENGTH, MAX_EXPIRY_DAYS } from "./input-rules";
import { GRACE_PERIODS, USAGE_RANGES } from "./types";

/**
 * What the dashboard's routes accept. Key names become API Gateway tag values, so they keep to
 * the characters tags allow.
 */
export const keyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the key a name.")
  .max(KEY_NAME_MAX_LENGTH, `Key names are at most ${KEY_NAME_MAX_LENGTH} characters.`)
  .regex(/^[\p{L}\p{N} _.:/=+@-]+$/u, "Use letters, digits, spaces and _ . : / = + @ - in key names.");

/**
 * A key's expiry, either way: `expiresAt`, a date (YYYY-MM-DD: the key stops at 00:00 UTC that
 * day) or an ISO date-time with its offset, null for none; or `expiresInDays` from now. Whether
 * it is in the future and within reach is lib/access/expiry.ts's to say (it knows the time).
 */
const expiryFields = {
  expiresAt: z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      message: "expiresAt must be a date (YYYY-MM-DD), a date and time (ISO 8601, e.g. 2027-03-01T09:00:00Z), or null for no expiry.",
    })
    .nullable()
    .optional(),
  expiresInDays: z
    .number({ message: "expiresInDays must be a number of days." })
    .int("expiresInDays must be a whole number of days.")
    .min(1, "expiresInDays must be at least 1.")
    .max(MAX_EXPIRY_DAYS, `expiresInDays can be at most ${MAX_EXPIRY_DAYS} (2 years).`)
    .optional(),
};
const oneExpiry = (input: { expiresAt?: string | null; expiresInDays?: number }) => input.expiresAt === undefined || input.expiresInDays === undefined;
const oneExpiryMessage = { message: "Give expiresAt or expiresInDays, not both." };

export const createKeyInput = z.object({ name: keyNameSchema, ...expiryFields }).refine(oneExpiry, oneExpiryMessage);
export const renameKeyInput = z.object({ name: keyNameSchema });
/** PATCH on a key: a new name, a new expiry (null clears it), or both. */
export const updateKeyInput = z
  .object({ name: keyNameSchema.optional(), ...expiryFields })
  .refine(oneExpiry, oneExpiryMessage)
  .refine((input) => input.name !== undefined || input.expiresAt !== undefined || input.expiresInDays !== undefined, {
    message: "Give a new name, expiresAt (null for none) or expiresInDays.",
  });
export const rotateKeyInput = z.object({
  grace: z.enum(Object.keys(GRACE_PERIODS) as [keyof typeof GRACE_PERIODS, ...(keyof typeof GRACE_PERIODS)[]], {
    message: "Pick a grace period: none, 1h, 24h or 7d.",
  }),
});
export const subscribeInput = z.object({
  product: z.string().min(1, "Name the product to subscribe to.").max(200),
  /** A switch: the plans the user was shown it ends, and confirmed (it must end no other). */
  ends: z
    .array(z.string().regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a valid plan id."))
    .max(10)
    .optional(),
});
export const deleteAccountInput = z.object({ confirm: z.string().min(1, "Type your email to confirm.") });
export const usageQuery = z.object({
  plan: z.string({ error: "plan is required: the plan's id (or, on /api/v1, its product's slug)." }).min(1, "plan is required."),
  days: z.coerce
    .number()
    .refine((n): n is (typeof USAGE_RANGES)[number] => (USAGE_RANGES as readonly number[]).includes(n), "days must be 7, 30 or 90.")
    .default(7),
  refresh: z.enum(["0", "1"]).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
/** API Gateway ids are short alphanumerics; anything else can't name a key or plan. */
export const resourceId = z.string().regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a valid id.");
