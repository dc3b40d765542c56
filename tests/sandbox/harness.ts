import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { startSandbox, type Sandbox } from "@/local/sandbox";

/**
 * A fresh sandbox on a free port with its state in a temp dir; `stop()` removes both.
 * `root` replaces the repository root (e.g. a fixtures dir whose `functions/` SNS delivers to).
 */
export async function startTestSandbox(options: { root?: string; portalUrl?: string } = {}): Promise<Sandbox & { stop(): Promise<void> }> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "portico-sandbox-"));
  const sandbox = await startSandbox({ port: 0, stateDir, quiet: true, root: options.root ?? path.resolve(import.meta.dirname, "../.."), portalUrl: options.portalUrl });
  return {
    ...sandbox,
    async stop() {
      await sandbox.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Client config that points any AWS SDK v3 client at the sandbox. */
export function sdkConfig(sandbox: Pick<Sandbox, "url">) {
  return { endpoint: sandbox.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 };
}
