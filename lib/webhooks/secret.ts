import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Endpoint signing secrets in the Standard Webhooks format: `whsec_` + base64 of the key bytes.
 * The spec asks for 24 to 64 bytes; Portico makes 32.
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
const MIN_BYTES = 24;
const MAX_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new random secret, e.g. `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`-shaped (44 base64 characters). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** Whether `value` is a well-formed secret: the prefix, canonical base64, 24–64 bytes. */
export function isWebhookSecret(value: unknown): value is string {
  if (typeof value !== "string" || !value.startsWith(WEBHOOK_SECRET_PREFIX)) return false;
  const encoded = value.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return false;
  const bytes = Buffer.from(encoded, "base64");
  // Round-tripping rejects non-canonical padding bits, so one secret has one spelling.
  return bytes.length >= MIN_BYTES && bytes.length <= MAX_BYTES && bytes.toString("base64") === encoded;
}

/** For zod boundaries; the message never repeats the value. */
export const webhookSecretSchema = z.string().refine(isWebhookSecret, { error: "must be a webhook secret (whsec_ followed by base64)" });

/** The name lib/notifications uses. */
export const newWebhookSecret = generateWebhookSecret;
