import { AppError } from "../errors";

export const isUserNotFound = (error: unknown) => (error as Error)?.name === "UserNotFoundException";

/**
 * What a Cognito failure means to the person waiting: `conflict` when Cognito refused for a reason
 * the caller names (exception name → message), otherwise `unavailable` with `message`. Throttling
 * and 5xx have already been retried by the client (lib/aws/client-config.ts): reaching here, they persisted.
 */
export function toAppError(error: unknown, message: string, conflicts: Record<string, string> = {}): AppError {
  if (error instanceof AppError) return error;
  const conflict = Object.hasOwn(conflicts, (error as Error)?.name) ? conflicts[(error as Error).name] : undefined;
  return conflict ? new AppError("conflict", conflict, { cause: error }) : new AppError("unavailable", message, { cause: error });
}
