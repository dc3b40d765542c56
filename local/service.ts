import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as the edge sees it, before any service has read the body. */
export interface EdgeRequest {
  raw: IncomingMessage;
  url: URL;
  /** `X-Amz-Target` of JSON-protocol calls, e.g. `DynamoDB_20120810.PutItem`. */
  target?: string;
  /** The service named in a SigV4 `Authorization` credential scope, e.g. `apigateway`, `sns`. */
  signingName?: string;
}

export type FaultKind = "throttle" | "error";

/** One emulated AWS service mounted on the edge port. */
export interface SandboxService {
  /** Name used for fault injection and logs: apigateway, execute-api, dynamodb, cognito-idp, … */
  readonly name: string;
  /** True when this service should answer the request (checked in mount order). */
  claims(req: EdgeRequest): boolean;
  handle(req: EdgeRequest, res: ServerResponse): void | Promise<void>;
  /** Writes this service's own wire form of an injected fault. */
  writeFault(res: ServerResponse, kind: FaultKind): void;
  close?(): Promise<void>;
}
