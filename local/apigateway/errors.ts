import type { ServerResponse } from "node:http";
import { sendJson } from "../http";

/** API Gateway's REST-JSON error: type in `X-Amzn-ErrorType`, message in the body. */
export class ApiGatewayError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiGatewayError("BadRequestException", 400, message);
export const notFound = (message: string) => new ApiGatewayError("NotFoundException", 404, message);
export const conflict = (message: string) => new ApiGatewayError("ConflictException", 409, message);
export const limitExceeded = (message: string) => new ApiGatewayError("LimitExceededException", 429, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiGatewayError("TooManyRequestsException", 429, "Too Many Requests", { "retry-after": String(retryAfterSeconds) });
export const serviceUnavailable = (message: string) => new ApiGatewayError("ServiceUnavailableException", 503, message, { "retry-after": "1" });

export function sendApiGatewayError(res: ServerResponse, error: ApiGatewayError): void {
  sendJson(
    res,
    error.status,
    { message: error.message },
    { "x-amzn-errortype": `${error.type}:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/`, ...error.headers },
  );
}
