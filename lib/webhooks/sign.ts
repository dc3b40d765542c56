import { Webhook } from "standardwebhooks";
import { AppError } from "../errors";
import { isWebhookSecret } from "./secret";

/** The Standard Webhooks headers of one delivery attempt. */
export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export interface SignInput {
  /** The endpoint's secrets: one, or the new and the old during a rotation (each signs). */
  secrets: readonly string[];
  /** The message id, the same on every retry of one event (receivers deduplicate on it). */
  id: string;
  /** When this attempt is sent: receivers refuse timestamps more than 5 minutes off. */
  timestamp: Date;
  /** The JSON body, exactly the bytes that will be sent. */
  payload: string;
}

/** Visible ASCII: the id goes into a header and into the signed content `id.timestamp.payload`. */
const MESSAGE_ID = /^[\x21-\x7e]{1,256}$/;
/** More would only make headers big: two are needed for a rotation. */
const MAX_SECRETS = 5;

/**
 * The headers for a delivery, signed with the `standardwebhooks` library's own `Webhook#sign`. With
 * several secrets the signature header carries one `v1,…` per secret, space-separated, as the spec
 * allows; a receiver holding either secret verifies it.
 */
export function signWebhook({ secrets, id, timestamp, payload }: SignInput): WebhookHeaders {
  if (!MESSAGE_ID.test(id)) throw new AppError("internal", "A webhook message id must be 1–256 visible ASCII characters.");
  if (Number.isNaN(timestamp.getTime())) throw new AppError("internal", "A webhook timestamp must be a valid date.");
  const unique = [...new Set(secrets)];
  if (unique.length === 0 || unique.length > MAX_SECRETS) throw new AppError("internal", `A webhook needs 1 to ${MAX_SECRETS} signing secrets.`);
  // The message names no secret: it could reach a log.
  if (!unique.every(isWebhookSecret)) throw new AppError("internal", "A webhook signing secret is malformed.");
  const signatures = unique.map((secret) => new Webhook(secret).sign(id, timestamp, payload));
  return {
    "webhook-id": id,
    // What Webhook#sign signs: whole seconds.
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
