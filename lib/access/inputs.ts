import { z } from "zod";
import { KEY_NAME_MAX_LENGTH } from "./input-rules";
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

export const createKeyInput = z.object({ name: keyNameSchema });
export const renameKeyInput = z.object({ name: keyNameSchema });
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
  plan: z.string().min(1, "plan is required."),
  days: z.coerce
    .number()
    .refine((n): n is (typeof USAGE_RANGES)[number] => (USAGE_RANGES as readonly number[]).includes(n), "days must be 7, 30 or 90.")
    .default(7),
  refresh: z.enum(["0", "1"]).optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
/** API Gateway ids are short alphanumerics; anything else can't name a key or plan. */
export const resourceId = z.string().regex(/^[A-Za-z0-9]{1,64}$/, "That isn't a valid id.");
