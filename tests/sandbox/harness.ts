import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateDeploymentCommand, ImportRestApiCommand, type APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { startSandbox, type Sandbox } from "@/local/sandbox";

const run = promisify(execFile);

/**
 * A fresh sandbox on a free port with its state in a temp dir; `stop()` removes both.
 * `root` replaces the repository root (e.g. a fixtures dir whose `functions/` SNS delivers to).
 * `apiGatewayClock` replaces the wall clock of API Gateway's budget and propagation delay (a ManualClock's `now`).
 */
export async function startTestSandbox(
  options: { root?: string; portalUrl?: string; apiGatewayClock?: () => number } = {},
): Promise<Sandbox & { stop(): Promise<void> }> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "portico-sandbox-"));
  const sandbox = await startSandbox({
    port: 0,
    stateDir,
    quiet: true,
    root: options.root ?? path.resolve(import.meta.dirname, "../.."),
    portalUrl: options.portalUrl,
    apiGatewayClock: options.apiGatewayClock,
  });
  return {
    ...sandbox,
    async stop() {
      await sandbox.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A clock that stands still until told to move: tests of rates and delays that do not depend on the machine's speed. */
export class ManualClock {
  private ms = 0;
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Client config that points any AWS SDK v3 client at the sandbox. */
export function sdkConfig(sandbox: Pick<Sandbox, "url">) {
  return { endpoint: sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 };
}

/** Turns API Gateway's control-plane budget on or off (and refills it). */
export const setBudget = (sandbox: Pick<Sandbox, "url">, enabled: boolean) =>
  fetch(`${sandbox.url}/_sandbox/apigateway/budget`, { method: "PUT", body: JSON.stringify({ enabled }) });

/** A definition from catalog/apis. */
export const catalogApi = (file: string) => readFileSync(path.resolve(import.meta.dirname, "../../catalog/apis", file));

/** Imports a definition and deploys it to a stage (`prod`); returns the API's id. */
export async function importAndDeploy(apigw: APIGatewayClient, body: Uint8Array, stageName = "prod"): Promise<string> {
  const id = (await apigw.send(new ImportRestApiCommand({ body }))).id!;
  await apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName }));
  return id;
}

/** No config or credentials files and no pager, for any AWS CLI run by a test. */
export const AWS_CLI_ISOLATION = { AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" } as const;

/**
 * The AWS CLI (Python, botocore: a second, independent client of the sandbox's wire format) against
 * a sandbox: `aws(...args)` runs `aws --endpoint-url <sandbox> --output json ...args` and parses what
 * it prints (undefined for nothing); a failing command rejects with its `stderr`. `attempts: 1` turns
 * its retries off.
 */
export function awsCli(sandbox: Pick<Sandbox, "url">, options: { attempts?: number } = {}) {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: SANDBOX_REGION,
    ...AWS_CLI_ISOLATION,
    ...(options.attempts ? { AWS_MAX_ATTEMPTS: String(options.attempts), AWS_RETRY_MODE: "standard" } : {}),
  };
  return async (...args: string[]) => {
    const { stdout } = await run("aws", ["--endpoint-url", sandbox.url, "--output", "json", ...args], { env });
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  };
}
