import type { ServerResponse } from "node:http";
import { sendJson } from "../http";

/** SES v2's REST-JSON error: the type in `X-Amzn-ErrorType`, `{ message }` in the body (like API Gateway's). */
export class SesError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new SesError("BadRequestException", 400, message);
export const messageRejected = (message: string) => new SesError("MessageRejected", 400, message);
export const notFound = (message: string) => new SesError("NotFoundException", 404, message);
export const alreadyExists = (message: string) => new SesError("AlreadyExistsException", 400, message);

export function sendSesError(res: ServerResponse, error: SesError): void {
  sendJson(res, error.status, { message: error.message }, { "x-amzn-errortype": error.type });
}
