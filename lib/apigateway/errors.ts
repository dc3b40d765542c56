import { AppError } from "../errors";

/** API Gateway's exception name, or undefined for anything that isn't a service error. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error && "$metadata" in error ? error.name : undefined;
}

export const isNotFound = (error: unknown) => awsErrorName(error) === "NotFoundException";
export const isConflict = (error: unknown) => awsErrorName(error) === "ConflictException";

const BUSY = new Set(["TooManyRequestsException", "ThrottlingException", "ServiceUnavailableException", "InternalFailure", "ServiceException"]);

/**
 * What a control-plane failure means to the person waiting. Throttling and 5xx have already been
 * retried with backoff by the client (lib/aws/client-config.ts), so reaching here means they persisted.
 */
export function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const name = awsErrorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0;
  if (name === "LimitExceededException")
    return new AppError("conflict", "API Gateway refused: an account or key limit was reached. Remove a key or plan first.", { cause: error });
  if ((name && BUSY.has(name)) || status === 429 || status >= 500 || (!name && isNetworkError(error))) {
    return new AppError("unavailable", "API Gateway is busy right now. Nothing was changed — try again in a moment.", { cause: error });
  }
  return error;
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(code);
}
