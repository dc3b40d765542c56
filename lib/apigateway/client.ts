import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { clientConfig } from "../aws/client-config";
import { toAppError } from "./errors";
import { waitForTurn } from "./limits";

export interface ControlPlaneStats {
  /** Commands sent, per operation (one per call, however many attempts it took). */
  calls: Record<string, number>;
  /** HTTP requests made, per operation, retries included: what the account budget sees. */
  requests: Record<string, number>;
}

const stats: ControlPlaneStats = { calls: {}, requests: {} };
const bump = (counter: Record<string, number>, operation: string) => (counter[operation] = (counter[operation] ?? 0) + 1);

/**
 * The only API Gateway control-plane client. The account allows 10 requests/s in total
 * (burst 40) and that cannot be raised, so every request waits for its turn in the stage's shared
 * budget (limits.ts) and every call is counted here for benchmarks and logs.
 */
export const apigateway = new APIGatewayClient(clientConfig);

apigateway.middlewareStack.add(
  (next, context) => async (args) => {
    const operation = operationName(context.commandName);
    bump(stats.calls, operation);
    return next(args);
  },
  { step: "initialize", name: "porticoCountCalls" },
);
// One error path for every call: throttling or a 5xx that outlasted the client's retries reaches
// callers as AppError("unavailable") (errors.ts); other service errors stay as they are.
apigateway.middlewareStack.add(
  (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      throw toAppError(error);
    }
  },
  { step: "initialize", priority: "high", name: "porticoErrors" },
);
// finalizeRequest at low priority runs inside the retry middleware: once per attempt, so a retry
// also waits for its turn (each one spends the account's budget like the first).
apigateway.middlewareStack.add(
  (next, context) => async (args) => {
    const operation = operationName(context.commandName);
    await waitForTurn(operation);
    bump(stats.requests, operation);
    return next(args);
  },
  { step: "finalizeRequest", priority: "low", name: "porticoWaitForTurn" },
);

function operationName(commandName: string | undefined): string {
  return (commandName ?? "Unknown").replace(/Command$/, "");
}

export function getControlPlaneStats(): ControlPlaneStats {
  return { calls: { ...stats.calls }, requests: { ...stats.requests } };
}

export function resetControlPlaneStats(): void {
  stats.calls = {};
  stats.requests = {};
}
