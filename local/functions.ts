import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SANDBOX_CREDENTIALS, type SandboxContext } from "./context";

/**
 * Runs the repository's Lambda handlers (`functions/<name>.ts`, exporting `handler(event, context)`)
 * in the sandbox's own process, the way Lambda would call them. SNS deliveries and scheduled jobs use it.
 */

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Where `functions/<name>.ts` lives under the sandbox's root. */
export function functionFile(ctx: Pick<SandboxContext, "root">, name: string): string {
  // The name becomes a path: only Lambda's own function-name alphabet, so nothing can climb out of functions/.
  if (!FUNCTION_NAME.test(name)) throw new Error(`Invalid function name: ${name}`);
  return path.join(ctx.root, "functions", `${name}.ts`);
}

export function functionExists(ctx: Pick<SandboxContext, "root">, name: string): boolean {
  return FUNCTION_NAME.test(name) && existsSync(functionFile(ctx, name));
}

/** Per function, like a Lambda function's environment configuration (keyed by file: roots differ in tests). */
const environments = new Map<string, Readonly<Record<string, string>>>();

/**
 * Sets the environment `functions/<name>.ts` is invoked with, as infra/ sets it in AWS (e.g. the
 * listener's MARKETPLACE_TOPIC_ARNS). Handlers share the sandbox's process, so it is applied to
 * process.env before each invocation of that function.
 */
export function setFunctionEnvironment(ctx: Pick<SandboxContext, "root">, name: string, env: Record<string, string>): void {
  environments.set(functionFile(ctx, name), { ...env });
}

/**
 * Calls `functions/<name>.ts`'s handler with `event` and a Lambda-like context; resolves with what it
 * returned. Like Lambda's timeout, a handler that has not settled after `timeoutMs` counts as failed.
 */
export async function invokeFunction(
  ctx: SandboxContext,
  name: string,
  event: unknown,
  options: { timeoutMs: number; invokedFunctionArn?: string },
): Promise<unknown> {
  const file = functionFile(ctx, name);
  if (!existsSync(file)) throw new Error(`functions/${name}.ts not found`);
  pointAwsAtSandbox(ctx); // before import: handlers often build their SDK clients at module load
  Object.assign(process.env, environments.get(file));
  // import() caches the module: edits to a handler take effect when the sandbox restarts.
  const loaded = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof loaded.handler !== "function") throw new Error(`functions/${name}.ts does not export a handler`);

  const deadline = Date.now() + options.timeoutMs;
  const context = {
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: options.invokedFunctionArn ?? `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`,
    memoryLimitInMB: "128",
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "sandbox",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Task timed out after ${options.timeoutMs / 1000} seconds`)), options.timeoutMs);
  });
  try {
    return await Promise.race([(loaded.handler as (event: unknown, context: unknown) => unknown)(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lambda gives a function its region and credentials through the environment; a handler running
 * inside the sandbox gets the sandbox's, so its SDK clients (which read AWS_ENDPOINT_URL, see
 * lib/aws/client-config.ts) reach the sandbox and never a real account with the developer's credentials.
 * The table name needs nothing by default: lib/db/table.ts reads PORTICO_TABLE in this same process,
 * as the seed did; setFunctionEnvironment sets it (and anything else) per function.
 */
function pointAwsAtSandbox(ctx: SandboxContext): void {
  process.env.AWS_ENDPOINT_URL = ctx.url;
  process.env.AWS_REGION = ctx.region;
  process.env.AWS_ACCESS_KEY_ID = SANDBOX_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
}
