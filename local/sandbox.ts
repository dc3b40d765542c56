import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { createApiGateway } from "./apigateway";
import { createCognito } from "./cognito";
import { SANDBOX_ACCOUNT_ID, SANDBOX_REGION, type SandboxContext } from "./context";
import { createDynamoDb } from "./dynamodb";
import { Edge } from "./edge";
import { Faults } from "./faults";
import { createMarketplace } from "./marketplace";
import { createScheduler } from "./scheduler";
import { createSes } from "./ses";
import { createSns } from "./sns";

export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  stateDir?: string;
  root?: string;
  faults?: Faults;
  quiet?: boolean;
  /** Run the scheduled jobs on their timers (off unless asked: tests run them on demand). */
  schedule?: boolean;
  /** The portal's URL (e.g. http://localhost:3000), for pages that link back to it. */
  portalUrl?: string;
  /** API Gateway's clock for its control-plane budget and propagation delay (tests drive one by hand). */
  apiGatewayClock?: () => number;
}

export interface Sandbox {
  url: string;
  context: SandboxContext;
  faults: Faults;
  close(): Promise<void>;
}

/** A port the OS says is free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const root = options.root ?? process.cwd();
  const stateDir = path.resolve(root, options.stateDir ?? ".sandbox");
  mkdirSync(stateDir, { recursive: true });
  const faults = options.faults ?? new Faults();
  const edge = new Edge(faults);
  const url = await edge.listen(options.port ?? 0);
  const context: SandboxContext = {
    url,
    stateDir,
    root,
    region: SANDBOX_REGION,
    accountId: SANDBOX_ACCOUNT_ID,
    ...(options.portalUrl ? { portalUrl: options.portalUrl } : {}),
    log: options.quiet ? () => {} : (message) => console.log(`[sandbox] ${message}`),
  };
  // Mount order matters only for requests more than one service could claim: the most specific first.
  try {
    edge.mount([
      ...(await createApiGateway(context, { clock: options.apiGatewayClock })),
      await createDynamoDb(context),
      await createMarketplace(context),
      await createSns(context),
      await createSes(context),
      await createCognito(context),
      createScheduler(context, { timers: options.schedule ?? false }),
    ]);
  } catch (error) {
    await edge.close();
    throw error;
  }
  return { url: context.url, context, faults, close: () => edge.close() };
}
