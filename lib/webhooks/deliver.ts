import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net from "node:net";
import { AppError } from "../errors";
import { signWebhook, type WebhookHeaders } from "./sign";
import { resolveWebhookTarget, type Resolver, type TargetOptions, type WebhookTarget } from "./target";

/**
 * Sends one webhook request: signed (sign.ts), to a checked and pinned address (target.ts), POST
 * only, no redirects followed, 10 s for everything (DNS, connect, TLS, answer), at most 4 KB of the
 * answer kept. Never throws for anything the endpoint does: the result says what happened, in words
 * short enough for the delivery log, and none names a secret. Retries are the caller's (the outbox).
 */
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RESPONSE_LIMIT = 4096;
export const WEBHOOK_USER_AGENT = "Portico-Webhooks/1.0";

export interface WebhookDelivery {
  url: string;
  /** The endpoint's secret, or its new and old secrets during a rotation. */
  secrets: readonly string[];
  /** The message id, the same on every attempt for one event. */
  id: string;
  /** This attempt's time (default: now): receivers refuse signatures more than 5 minutes off. */
  timestamp?: Date;
  /** The JSON body. */
  payload: string;
}

export interface DeliveryOptions extends TargetOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** DNS (default node:dns lookup); tests inject one. */
  resolve?: Resolver;
  /** Tests only: the certificates to trust instead of the system's (a test receiver's self-signed one). */
  ca?: string;
}

export interface DeliveryResult {
  /** A 2xx answer. */
  ok: boolean;
  status?: number;
  error?: string;
  durationMs: number;
  /** The answer's first 4 KB, as text. */
  response?: string;
}

class Timeout extends Error {}

export async function deliverWebhook(delivery: WebhookDelivery, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), timeoutMs);
  });
  try {
    const headers = signWebhook({ ...delivery, timestamp: delivery.timestamp ?? new Date() });
    const target = await Promise.race([resolveWebhookTarget(delivery.url, options), timedOut]);
    const answer = await post(target, headers, delivery.payload, timedOut, options.ca);
    const result = { status: answer.status, durationMs: elapsed(), response: answer.body };
    if (answer.status >= 200 && answer.status < 300) return { ok: true, ...result };
    const error = answer.status >= 300 && answer.status < 400 ? `redirect (HTTP ${answer.status}) not followed` : `HTTP ${answer.status}`;
    return { ok: false, error, ...result };
  } catch (error) {
    return { ok: false, error: describe(error, timeoutMs), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

/** The POST itself, on node:http(s) so that the pinned lookup is the one used; settles on the answer's first 4 KB. */
function post(
  target: WebhookTarget,
  signed: WebhookHeaders,
  payload: string,
  timedOut: Promise<never>,
  ca: string | undefined,
): Promise<{ status: number; body: string }> {
  const body = Buffer.from(payload, "utf8");
  const secure = target.url.protocol === "https:";
  const request = (secure ? https : http).request({
    method: "POST",
    host: target.host,
    port: target.url.port || (secure ? 443 : 80),
    path: `${target.url.pathname}${target.url.search}`,
    // The host name (and port) the developer registered: the Host header, and the name TLS verifies.
    headers: { host: target.url.host, "content-type": "application/json", "content-length": body.length, "user-agent": WEBHOOK_USER_AGENT, ...signed },
    ...(secure && !net.isIP(target.host) ? { servername: target.host } : {}),
    ...(secure && ca ? { ca } : {}),
    lookup: target.lookup,
    // A socket of its own: a pooled one could have been opened for another check.
    agent: false,
  });
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      const text = Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_LIMIT).toString("utf8");
      resolve({ status: answer!.statusCode ?? 0, body: text });
      request.destroy();
    };
    timedOut.catch((error: unknown) => {
      // Headers came but the body is slow: what arrived is the answer.
      if (answer) finish();
      else request.destroy(error as Error);
    });
    request.on("error", reject);
    request.on("response", (response) => {
      answer = response;
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= WEBHOOK_RESPONSE_LIMIT) finish();
      });
      response.on("end", finish);
      response.on("error", finish);
    });
    request.end(body);
  });
}

const MESSAGES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host not found",
  HPE_INVALID_CONSTANT: "invalid HTTP response",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host name",
  CERT_HAS_EXPIRED: "TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS certificate is not trusted (self-signed in chain)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate is not trusted",
  EPROTO: "TLS handshake failed",
};

/** A short sentence for the delivery log: from our own messages and error codes, never from the request. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Timeout) return `timed out after ${Number((timeoutMs / 1000).toFixed(1))} s`;
  if (error instanceof AppError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (code?.startsWith("HPE_")) return "invalid HTTP response";
  if (code?.startsWith("ERR_SSL_") || code?.includes("CERT")) return `TLS failed (${code})`;
  if (error instanceof Error && error.message === "socket hang up") return "connection closed without an answer";
  return code ? `request failed (${code})` : "request failed";
}
