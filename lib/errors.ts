import { z } from "zod";

/** The portal's one error type: a code users and clients can rely on, and a message for people. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  /** For 429 and 503: when trying again makes sense (the Retry-After header). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = "AppError";
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; retryAfterSeconds?: number };
}

/**
 * The one translator: turns anything thrown into the response body and status. Input that fails its
 * zod schema is a 400 naming the first problem; unknown errors stay opaque.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const retry = error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {};
    return { status: error.status, body: { error: { code: error.code, message: error.message, ...retry } } };
  }
  if (error instanceof z.ZodError) return toErrorBody(new AppError("bad_request", error.issues[0]?.message ?? "Invalid request."));
  return { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side. Please try again." } } };
}
