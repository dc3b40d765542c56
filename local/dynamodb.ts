import path from "node:path";
import type { Server } from "node:http";
import dynalite from "dynalite";
import type { SandboxContext } from "./context";
import { sendAwsJsonError } from "./http";
import type { SandboxService } from "./service";

/** DynamoDB is dynalite (a real implementation on LevelDB), mounted on the edge. */
export async function createDynamoDb(ctx: SandboxContext): Promise<SandboxService> {
  const server: Server = dynalite({ path: path.join(ctx.stateDir, "dynamodb"), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite closes its LevelDB only when its own server closes cleanly, which needs it listening;
  // requests still arrive through the edge (emit below), never on this port.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    name: "dynamodb",
    claims: (req) => req.target?.startsWith("DynamoDB_") === true || req.signingName === "dynamodb",
    handle: (req, res) => {
      server.emit("request", req.raw, res);
    },
    writeFault: (res, kind) =>
      kind === "throttle"
        ? sendAwsJsonError(
            res,
            400,
            "com.amazonaws.dynamodb.v20120810#ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
            "application/x-amz-json-1.0",
          )
        : sendAwsJsonError(
            res,
            500,
            "com.amazonaws.dynamodb.v20120810#InternalServerError",
            "Internal server error (injected by the sandbox)",
            "application/x-amz-json-1.0",
          ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
