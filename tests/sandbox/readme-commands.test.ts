import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { APIGatewayClient, GetUsagePlansCommand } from "@aws-sdk/client-api-gateway";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from "@/local/context";
import { freePort } from "@/local/sandbox";
import { AWS_CLI_ISOLATION, sdkConfig } from "./harness";

/**
 * Every shell command in README.md is run here, as written, on ports that aren't the defaults — or
 * excused below with the reason. A command the README gains (or a command whose text changes) fails
 * the first test until it is classified, so the README can't drift from what works.
 *
 * "As written": the README's `localhost:4566` and `localhost:3000` become this test's ports, and
 * `<placeholders>` become what a newcomer would put there; nothing else changes. `aws` commands
 * written for an AWS account get the settings the README's sandbox example uses (credentials,
 * region, `--endpoint-url`), as the README says they do. Each runs in `bash -c` with a newcomer's
 * environment: no AWS settings or credentials files, no sandbox or test variables, no
 * `node_modules/.bin` on PATH.
 */

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const README = readFileSync(path.join(root, "README.md"), "utf8");

// ---------------------------------------------------------------------------------------------
// Which README text is a command

const ASSIGNMENT = String.raw`[A-Z][A-Z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"])*`;
/** A command word after optional `NAME=value` prefixes, or a script path. */
const COMMAND = new RegExp(String.raw`^(?:${ASSIGNMENT}\s+)*(?:(?:npm|npx|curl|aws|sst|export|bash|sh|node|tsx)\s+\S|(?:\./|local/)\S*\.sh(?:\s|$))`);
/** Only `NAME=value` settings: what to put in front of a command (`SANDBOX_SCHEDULE=off`, `MODEL_SEED=…`). */
const SETTINGS = new RegExp(String.raw`^${ASSIGNMENT}(?:\s+${ASSIGNMENT})*$`);
const FENCE = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** Whitespace (line breaks included) collapsed: a README rewrap is not a change, a word is. */
const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** The lines of fenced sh blocks (continuations joined, comments dropped) and the inline code spans that are commands. */
function readmeCommands(markdown: string): string[] {
  const commands = new Set<string>();
  for (const [, info, body] of markdown.matchAll(FENCE)) {
    if (!/^(?:sh|bash|shell|console)\b/.test(info!.trim())) continue;
    for (const line of body!.replace(/\\\n/g, " ").split("\n")) {
      const text = normalize(line.replace(/^\$ /, ""));
      if (text && !text.startsWith("#")) commands.add(text);
    }
  }
  for (const [, span] of markdown.replace(FENCE, "").matchAll(/`([^`]+)`/g)) {
    const text = normalize(span!);
    if (COMMAND.test(text) || SETTINGS.test(text)) commands.add(text);
  }
  return [...commands];
}

// ---------------------------------------------------------------------------------------------
// Every command, classified: RUN by a test below (which says how), or NOT_LOCAL and why not.

type Classification = { RUN: string } | { NOT_LOCAL: string };

const CI = "CI (.ci/run) runs it";
const AWS_ACCOUNT = "needs an AWS account; the deploy is not part of CI (`npm run check:infra` builds and checks the bundle offline)";
const BENCH = "a benchmark (minutes long; it reports numbers, it doesn't pass or fail), not part of `npm test`";

const COMMANDS: Record<string, Classification> = {
  "npm install": { NOT_LOCAL: `${CI} as \`npm ci\` (the lock file exactly) before every test; everything here runs on what it installed` },
  "npm run dev": {
    NOT_LOCAL:
      "a server that never exits: tests/sandbox/dev-command.test.ts runs its script (local/dev.ts) on free PORT/SANDBOX_PORT, a first start and a restart; Playwright's webServer runs it with --start",
  },
  "npm test": { NOT_LOCAL: `${CI}: it is the CI job, this file included` },
  "npm run check:infra": { NOT_LOCAL: `part of \`npm test\`, which ${CI}` },
  "npm run format": { NOT_LOCAL: "rewrites the working tree; its check (`prettier --check .`) is part of `npm run lint`, in `npm test`" },
  "npm run sandbox": { RUN: "started on a free SANDBOX_PORT with a temporary SANDBOX_STATE_DIR; every RUN command below runs against it; restarted twice" },
  "npm run sandbox:reset": { RUN: "clears the temporary SANDBOX_STATE_DIR; the next start seeds again" },
  "SANDBOX_BUDGET=off": { RUN: "on the restart: /_sandbox/apigateway/budget says it is off" },
  "SANDBOX_SCHEDULE=off": { RUN: "on the restart: GET /_sandbox/scheduler says the timers are off" },
  "SANDBOX_FAULTS='{…}'": { RUN: "on the restart, with a fault for execute-api: GET /_sandbox/faults has it" },
  "AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url http://localhost:4566 apigateway get-usage-plans": {
    RUN: "lists the seeded plans",
  },
  "local/aws-cli-demo.sh": { RUN: "with SANDBOX_PORT: creates a key, calls the API, reads the usage" },
  'curl -X PUT localhost:4566/_sandbox/faults -d \'{"apigateway":{"throttleRate":0.5,"latencyMs":200}}\'': {
    RUN: "API Gateway calls then take 200 ms and some are throttled; DELETE clears it",
  },
  'curl -X POST localhost:4566/_sandbox/scheduler/run -d \'{"job":"key-sweeper","time":"2030-01-01T00:00:00Z"}\'': {
    RUN: "answers with the sweeper's result; GET /_sandbox/scheduler shows the run",
  },
  'curl -X POST localhost:4566/_sandbox/marketplace/notify -d \'{"action":"subscribe-success","productCode":"portico-pro-sandbox","customerIdentifier":"<id>"}\'':
    { RUN: 'for a legacy buyer from the buyer page, found with GET /_sandbox/marketplace/customers; and with "via":"eventbridge"' },
  "aws sns set-topic-attributes --topic-arn <topic ARN> --attribute-name SignatureVersion --attribute-value 2": {
    RUN: "on the subscription topic from endpoints.json: get-topic-attributes then says 2",
  },
  "aws apigateway update-usage-plan --usage-plan-id <id> --patch-operations op=replace,path=/productCode,value=<product code>": {
    RUN: "on the Weather Basic plan; the next start wires the code's topics",
  },
  "aws cognito-idp admin-add-user-to-group --region us-east-1 --user-pool-id <userPool output> --username ada@example.com --group-name admins": {
    RUN: "on the sandbox's user pool, then admin-remove-user-from-group with the same arguments",
  },
  "MODEL_RUNS=2000 MODEL_STEPS=40 npx vitest run tests/access/model.test.ts": {
    RUN: "with MODEL_RUNS=1 MODEL_STEPS=3 (the file starts its own sandbox on a free port)",
  },
  "MODEL_RUNS=200 MODEL_STEPS=40 npx vitest run tests/notifications/model.test.ts": {
    RUN: "with MODEL_RUNS=1 MODEL_STEPS=3 (the file starts its own sandbox on a free port)",
  },
  "MODEL_RUNS=200 MODEL_STEPS=30 npx vitest run tests/teams/model.test.ts": {
    RUN: "with MODEL_RUNS=1 MODEL_STEPS=3 (the file starts its own sandbox on a free port)",
  },
  "MODEL_SEED=<seed> MODEL_PATH=<path> MODEL_REPLAY=<replayPath>": {
    NOT_LOCAL: "replays a failure: only a failing model run prints the seed, path and replayPath (the line before it is RUN)",
  },
  "npm run bench -- sandbox": { NOT_LOCAL: BENCH },
  "npm run bench -- control-plane": { NOT_LOCAL: BENCH },
  "npm run bench -- marketplace": { NOT_LOCAL: BENCH },
  "npm run bench -- admin": { NOT_LOCAL: BENCH },
  "npm run bench -- sessions": { NOT_LOCAL: BENCH },
  "npm run bench -- docs": { NOT_LOCAL: BENCH },
  "npm run bench -- docs-cache": { NOT_LOCAL: `${BENCH}; it also needs nginx` },
  "BENCH_DOCS_LIGHTHOUSE=0": { NOT_LOCAL: `an environment setting of \`npm run bench -- docs\`: ${BENCH}` },
  "BENCH_DOCS_WEIGHT=0": { NOT_LOCAL: `an environment setting of \`npm run bench -- docs\`: ${BENCH}` },
  "BENCH_DOCS_THROUGHPUT=0": { NOT_LOCAL: `an environment setting of \`npm run bench -- docs\`: ${BENCH}` },
  "npm run bench -- agent": { NOT_LOCAL: BENCH },
  "npm run bench -- dev": { NOT_LOCAL: BENCH },
  "npm run bench -- fleet": { NOT_LOCAL: BENCH },
  "npm run bench -- notifications": { NOT_LOCAL: BENCH },
  "PORTICO_WEBHOOKS_ALLOW_PRIVATE=1": {
    NOT_LOCAL:
      "not a command to type: the sandbox already gives it to the portal and the notifier (local/settings.ts, local/ses/wiring.ts); tests/webhooks covers what it allows",
  },
  "BENCH_NOTIFY_USERS=500": { NOT_LOCAL: `an environment setting of \`npm run bench -- notifications\`: ${BENCH}` },
  'PORTICO_LIMITS=\'{"portal":{"tryIt":{"perUser":{"requests":5,"seconds":60},"perIp":{"requests":10,"seconds":60}}}}\' npm run dev': {
    NOT_LOCAL:
      "`npm run dev` with the limits set: a server that never exits (see `npm run dev`); tests/infra/settings.test.ts checks this README's JSON against the schema, and local/dev.ts hands its environment to Next and the sandbox's functions",
  },
  'curl -H "Authorization: Bearer $PORTICO_TOKEN" http://localhost:3000/api/v1/keys': {
    NOT_LOCAL:
      "needs `npm run dev` (a server that never exits) and a token made on its dashboard; tests/agents/consumer-api.test.ts sends the same request to the route with a real token, and e2e/tokens.spec.ts to the running portal",
  },
  "export AWS_PROFILE=…": { NOT_LOCAL: `deploy credentials: ${AWS_ACCOUNT}` },
  'npx sst secret set AuthSecret "$(openssl rand -base64 32)" --stage prod': { NOT_LOCAL: AWS_ACCOUNT },
  "npx sst deploy --stage prod": { NOT_LOCAL: AWS_ACCOUNT },
  "npx sst remove --stage prod": { NOT_LOCAL: AWS_ACCOUNT },
  "npx sst secret remove AuthSecret --stage prod": { NOT_LOCAL: AWS_ACCOUNT },
  "sst secret": { NOT_LOCAL: `names the deploy's \`npx sst secret\` commands; ${AWS_ACCOUNT}` },
  "sst secret set AuthSecret": { NOT_LOCAL: `names the deploy's \`npx sst secret set\` command; ${AWS_ACCOUNT}` },
  "sst remove": { NOT_LOCAL: `names \`npx sst remove\`; ${AWS_ACCOUNT}` },
  "aws s3 ls s3://<auditArchive output>/tampering/ --recursive": {
    NOT_LOCAL: "the audit archive exists in AWS only (the sandbox has no S3); tests/infra check its bucket",
  },
};

/** RUN commands the tests below have run. */
const ran = new Set<string>();

/** The one README command matching `pattern`, which must be classified RUN (and now counts as run). */
function readme(pattern: RegExp): string {
  const matches = readmeCommands(README).filter((command) => pattern.test(command));
  expect(matches, `one README command matching ${pattern}`).toHaveLength(1);
  const command = matches[0]!;
  expect(COMMANDS[command], `${command} is classified RUN`).toHaveProperty("RUN");
  ran.add(command);
  return command;
}

/** README prose, checked to be there (whitespace normalized). */
function prose(text: string): string {
  expect(normalize(README), `the README says ${text}`).toContain(text);
  return text;
}

/** A request the README names in prose (`` `GET /_sandbox/scheduler` ``), as the curl command for it. */
function request(method: "GET" | "DELETE", pathname: string, ports: { sandbox: number }): string {
  prose(method === "GET" ? `\`GET ${pathname}\`` : `\`${method}\``);
  return `curl${method === "GET" ? "" : ` -X ${method}`} localhost:${ports.sandbox}${pathname}`;
}

// ---------------------------------------------------------------------------------------------
// A newcomer's shell

/** The test process's environment minus what a newcomer's shell wouldn't have. */
function newcomer(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      /^(?:AWS_|SANDBOX_|MODEL_|VITEST|E2E_|BENCH_|NEXT_|npm_)/.test(name) ||
      ["TEST", "NODE_ENV", "PORT", "PORTAL_URL", "NODE_OPTIONS", "INIT_CWD"].includes(name)
    )
      delete env[name];
  }
  // npx/npm put node_modules/.bin (and the pinned Node.js) first on PATH; a shell doesn't.
  env.PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(path.delimiter);
  // No config or credentials files; no pager (CLI v2 pages output in a terminal, not here anyway).
  return Object.assign(env, AWS_CLI_ISOLATION, extra);
}

async function sh(command: string, env: NodeJS.ProcessEnv = newcomer(), timeout = 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync("bash", ["-c", command], { env, cwd: root, timeout, maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`\`${command}\` failed: ${failed.message}\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
  }
}

/** The README's ports become this test's. */
function onPorts(command: string, ports: { sandbox: number; portal: number }): string {
  return command.replaceAll("localhost:4566", `localhost:${ports.sandbox}`).replaceAll("localhost:3000", `localhost:${ports.portal}`);
}

/** `<placeholder>` → value; every placeholder must be given one. */
function fill(command: string, values: Record<string, string>): string {
  return command.replace(/<[^<>]+>/g, (placeholder) => {
    const value = values[placeholder];
    if (value === undefined) throw new Error(`no value for ${placeholder} in ${command}`);
    return value;
  });
}

/** `--json`-ish stdout of curl or the AWS CLI. */
const json = <T = Record<string, unknown>>(stdout: string) => JSON.parse(stdout) as T;

// ---------------------------------------------------------------------------------------------
// `npm run sandbox`, as a process

interface Started {
  url: string;
  banner: string;
  stop(): Promise<void>;
}

/** Runs `command` (`npm run sandbox`) in its own process group and resolves once its banner is out. */
async function startSandboxProcess(command: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn("bash", ["-c", command], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const group = child.pid!;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    if (alive()) process.kill(-group, "SIGTERM");
    // The sandbox's node process writes its state on SIGTERM: wait for the whole group, not just npm.
    for (let waited = 0; alive() && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(-group, "SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  while (!output.includes("Sign in with:")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`\`${command}\` did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /Portico sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`no sandbox URL in:\n${output}`);
  return { url, banner: output, stop };
}

interface Endpoints {
  edge: string;
  region: string;
  buyerPage: string;
  cognito: { userPoolId: string };
  usagePlans: { id: string; name: string; productCode?: string }[];
  marketplace: { topicArns: string[] };
}

// ---------------------------------------------------------------------------------------------

describe("README commands", () => {
  it("every shell command in the README is classified: RUN below, or NOT_LOCAL with the reason", () => {
    const commands = readmeCommands(README);
    const unclassified = commands.filter((command) => !(command in COMMANDS));
    expect(unclassified, "README commands neither run by a test here nor excused in COMMANDS").toEqual([]);
    const stale = Object.keys(COMMANDS).filter((command) => !commands.includes(command));
    expect(stale, "COMMANDS entries the README no longer has").toEqual([]);
  });

  it("finds commands in sh blocks (continuations joined, comments skipped) and inline code spans, and only commands", () => {
    const markdown = [
      "Run `npm run  dev` or `FOO=1 npm test`, then `local/demo.sh`; `SANDBOX_X=off` at start,",
      "or `aws sns publish",
      "--message hi`. Not commands: `npm`, `catalog/`, `GET /_sandbox/x`, `lib/a.ts`, `AUTH_SECRET`.",
      "```sh",
      "# a comment",
      "aws cognito-idp x --a 1 \\",
      "  --b 2",
      "```",
      "```",
      "npm run not-sh",
      "```",
    ].join("\n");
    expect(readmeCommands(markdown)).toEqual([
      "aws cognito-idp x --a 1 --b 2",
      "npm run dev",
      "FOO=1 npm test",
      "local/demo.sh",
      "SANDBOX_X=off",
      "aws sns publish --message hi",
    ]);
  });
});

describe("README commands on a sandbox started by `npm run sandbox` on a port that isn't 4566", () => {
  const ports = { sandbox: 0, portal: 0 };
  let stateDir: string;
  let sandbox: Started | undefined;
  let endpoints: Endpoints;
  /** Environment for `npm run sandbox`: the newcomer's, with the ports and a state dir of the test's own. */
  let sandboxEnv: NodeJS.ProcessEnv;
  const readEndpoints = () => json<Endpoints>(readFileSync(path.join(stateDir, "endpoints.json"), "utf8"));

  /** An `aws` command written for an AWS account, pointed at the sandbox with the README example's settings. */
  function againstSandbox(command: string): string {
    const example = readme(/ apigateway get-usage-plans$/);
    const settings = example.slice(0, example.indexOf(" apigateway "));
    expect(settings).toMatch(/ aws --endpoint-url http:\/\/localhost:4566$/);
    expect(command).toMatch(/^aws /);
    return onPorts(command.replace(/^aws /, `${settings} `), ports);
  }

  beforeAll(async () => {
    ports.sandbox = await freePort();
    ports.portal = await freePort();
    expect(ports.sandbox).not.toBe(4566);
    expect(ports.portal).not.toBe(3000);
    stateDir = mkdtempSync(path.join(tmpdir(), "portico-readme-"));
    sandboxEnv = newcomer({ SANDBOX_PORT: String(ports.sandbox), SANDBOX_STATE_DIR: stateDir, PORTAL_URL: `http://localhost:${ports.portal}` });
    sandbox = await startSandboxProcess(readme(/^npm run sandbox$/), sandboxEnv);
    endpoints = readEndpoints();
  }, 90_000);

  afterAll(async () => {
    await sandbox?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("`npm run sandbox` serves on SANDBOX_PORT, keeps its state in SANDBOX_STATE_DIR and prints the seeded sign-ins", () => {
    expect(sandbox!.url).toBe(`http://localhost:${ports.sandbox}`);
    expect(sandbox!.banner).toContain("admin@example.com");
    expect(endpoints.edge).toBe(sandbox!.url);
    expect(endpoints.usagePlans.map((p) => p.name)).toEqual(expect.arrayContaining(["Free", "Pro", "Weather Basic"]));
  });

  it("the `aws … apigateway get-usage-plans` line lists the seeded plans", async () => {
    const command = onPorts(readme(/ apigateway get-usage-plans$/), ports);
    const { items } = json<{ items: { name: string }[] }>(await sh(command));
    expect(items.map((p) => p.name)).toEqual(expect.arrayContaining(["Free", "Pro"]));
  });

  it("local/aws-cli-demo.sh follows SANDBOX_PORT", async () => {
    const stdout = await sh(readme(/^local\/aws-cli-demo\.sh$/), newcomer({ SANDBOX_PORT: String(ports.sandbox) }));
    expect(stdout).toMatch(/Free plan: \w+/);
    expect(stdout).toContain("Called GET /pets with the key");
    expect(stdout).toMatch(/"items"/);
  }, 60_000);

  it("fault injection: the `curl -X PUT …/_sandbox/faults` line makes API Gateway slow and throttled; DELETE clears it", async () => {
    const put = onPorts(readme(/^curl -X PUT \S+\/_sandbox\/faults /), ports);
    // "`DELETE` clears"
    const clear = request("DELETE", "/_sandbox/faults", ports);
    const apigateway = new APIGatewayClient(sdkConfig(sandbox!));
    const call = async () => {
      const started = performance.now();
      const outcome = await apigateway.send(new GetUsagePlansCommand({})).then(
        () => "ok",
        (error: Error) => error.name,
      );
      return { outcome, ms: performance.now() - started };
    };
    try {
      expect(json(await sh(put))).toMatchObject({ apigateway: { throttleRate: 0.5, latencyMs: 200 } });
      // Half are throttled: until one of each is seen (30 tries: a miss is 1 in 2^30).
      const calls: { outcome: string; ms: number }[] = [];
      while (calls.length < 30 && !(calls.some((c) => c.outcome === "ok") && calls.some((c) => c.outcome === "TooManyRequestsException")))
        calls.push(await call());
      expect(calls.map((c) => c.outcome)).toEqual(expect.arrayContaining(["ok", "TooManyRequestsException"]));
      expect(Math.min(...calls.map((c) => c.ms))).toBeGreaterThanOrEqual(195);

      expect(json(await sh(clear))).toEqual({});
      const after = await Promise.all([call(), call(), call(), call(), call()]);
      expect(after.map((c) => c.outcome)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    } finally {
      await fetch(`${sandbox!.url}/_sandbox/faults`, { method: "DELETE" });
      apigateway.destroy();
    }
  }, 30_000);

  it("the scheduler: the `curl … /_sandbox/scheduler/run` line runs the key sweeper with that time; GET /_sandbox/scheduler shows the run", async () => {
    const command = onPorts(readme(/^curl -X POST \S+\/_sandbox\/scheduler\/run /), ports);
    const answer = json(await sh(command));
    expect(answer).toMatchObject({ job: "key-sweeper", time: "2030-01-01T00:00:00Z", result: { due: expect.any(Number), failed: [] } });

    const status = json<{ jobs: { job: string; lastRun: { time: string; ok: boolean } | null }[] }>(await sh(request("GET", "/_sandbox/scheduler", ports)));
    expect(status.jobs.find((j) => j.job === "key-sweeper")?.lastRun).toMatchObject({ time: "2030-01-01T00:00:00Z", ok: true });
  });

  it("the buyer page from the banner answers 200 with the portal's fulfillment URL filled in", async () => {
    // README: http://localhost:4566/buyer?productCode=portico-pro-sandbox&fulfillmentUrl=… ("…" is what the banner fills in)
    const written = /http:\/\/localhost:4566\/buyer\?[^\s),]+/.exec(README)?.[0];
    expect(written, "the buyer page URL in the README").toBeDefined();
    const pattern = new RegExp(
      `^${onPorts(written!, ports)
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace("…", "\\S+")}$`,
    );
    const fromBanner = /Buyer page\s+(\S+)/.exec(sandbox!.banner)?.[1];
    expect(fromBanner).toMatch(pattern);
    expect(fromBanner).toBe(endpoints.buyerPage);

    const confirm = `http://localhost:${ports.portal}/marketplace/confirm`;
    for (const url of [fromBanner!, onPorts(written!, ports).replace(/&fulfillmentUrl=…$/, "")]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const html = await response.text();
      expect(html).toMatch(/id="productCode" name="productCode"[^>]* value="portico-pro-sandbox"/);
      expect(html).toContain(`name="fulfillmentUrl" required value="${confirm}"`);
    }
  });

  it("Marketplace: the `curl … /_sandbox/marketplace/notify` line, for a buyer found with GET /_sandbox/marketplace/customers", async () => {
    // A buyer subscribes on the buyer page with the legacy integration (one that SNS messages can name).
    const purchase = await fetch(`${sandbox!.url}/buyer/purchase`, {
      method: "POST",
      body: new URLSearchParams({
        productCode: "portico-pro-sandbox",
        fulfillmentUrl: `http://localhost:${ports.portal}/marketplace/confirm`,
        identifiers: "legacy",
      }),
    });
    expect(purchase.status).toBe(200);
    expect(await purchase.text()).toContain(`action="http://localhost:${ports.portal}/marketplace/confirm"`);

    const { customers } = json<{ customers: { customerIdentifier?: string; productCode: string }[] }>(
      await sh(request("GET", "/_sandbox/marketplace/customers", ports)),
    );
    const id = customers.find((c) => c.productCode === "portico-pro-sandbox" && c.customerIdentifier)?.customerIdentifier;
    expect(id, "the legacy buyer's customer identifier").toBeDefined();

    const notify = fill(onPorts(readme(/^curl -X POST \S+\/_sandbox\/marketplace\/notify /), ports), { "<id>": id! });
    expect(json(await sh(notify))).toMatchObject({
      messageId: expect.any(String),
      topicArn: expect.stringContaining("aws-mp-subscription-notification-portico-pro-sandbox"),
      delivered: 1,
    });

    // "add "via":"eventbridge" for the agreement event"
    const via = prose('`"via":"eventbridge"`').slice(1, -1);
    const viaEventBridge = notify.replace(/-d '\{/, `-d '{${via},`);
    expect(json(await sh(viaEventBridge))).toMatchObject({ detailType: expect.stringContaining("Agreement"), delivered: 1 });
  });

  it("the `aws sns set-topic-attributes … SignatureVersion` line switches a Marketplace topic to SignatureVersion 2", async () => {
    const topicArn = endpoints.marketplace.topicArns.find((arn) => arn.endsWith(":aws-mp-subscription-notification-portico-pro-sandbox"));
    expect(topicArn, "the topic ARN in endpoints.json").toBeDefined();
    expect(
      json<{ Attributes: { SignatureVersion: string } }>(await sh(againstSandbox(`aws sns get-topic-attributes --topic-arn ${topicArn}`))).Attributes
        .SignatureVersion,
    ).toBe("1");
    await sh(againstSandbox(fill(readme(/^aws sns set-topic-attributes /), { "<topic ARN>": topicArn! })));
    expect(
      json<{ Attributes: { SignatureVersion: string } }>(await sh(againstSandbox(`aws sns get-topic-attributes --topic-arn ${topicArn}`))).Attributes
        .SignatureVersion,
    ).toBe("2");
  }, 30_000);

  it("the `aws apigateway update-usage-plan … /productCode` line gives a plan a product code", async () => {
    const plan = endpoints.usagePlans.find((p) => p.name === "Weather Basic")!;
    expect(plan.productCode).toBeUndefined();
    const command = againstSandbox(fill(readme(/^aws apigateway update-usage-plan /), { "<id>": plan.id, "<product code>": "portico-weather-readme" }));
    expect(json(await sh(command))).toMatchObject({ id: plan.id, productCode: "portico-weather-readme" });
  }, 30_000);

  it("the `aws cognito-idp admin-add-user-to-group` line makes a user an admin; admin-remove-user-from-group with the same arguments undoes it", async () => {
    // "Sign up on the portal first": ada's account, as sign-up leaves it.
    const idp = new CognitoIdentityProviderClient({ endpoint: sandbox!.url, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS });
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: endpoints.cognito.userPoolId,
        Username: "ada@example.com",
        UserAttributes: [{ Name: "email", Value: "ada@example.com" }],
        MessageAction: "SUPPRESS",
      }),
    );
    idp.destroy();
    const groups = async () =>
      json<{ Groups: { GroupName: string }[] }>(
        await sh(againstSandbox(`aws cognito-idp admin-list-groups-for-user --user-pool-id ${endpoints.cognito.userPoolId} --username ada@example.com`)),
      ).Groups.map((g) => g.GroupName);

    const add = againstSandbox(fill(readme(/^aws cognito-idp admin-add-user-to-group /), { "<userPool output>": endpoints.cognito.userPoolId }));
    await sh(add);
    expect(await groups()).toEqual(["admins"]);

    const remove = add.replace(" admin-add-user-to-group ", ` ${prose("`admin-remove-user-from-group` with the same arguments").split("`")[1]} `);
    await sh(remove);
    expect(await groups()).toEqual([]);
  }, 30_000);

  it("state persists across a restart (with SANDBOX_SCHEDULE, SANDBOX_BUDGET and SANDBOX_FAULTS); `npm run sandbox:reset` clears it and the seed runs again", async () => {
    const start = readme(/^npm run sandbox$/);
    await sandbox!.stop();

    // Restart with the README's settings in front: what was changed is still there, and the product code is wired.
    const settings = [readme(/^SANDBOX_SCHEDULE=/), readme(/^SANDBOX_BUDGET=/), readme(/^SANDBOX_FAULTS=/).replace("{…}", '{"execute-api":{"errorNext":1}}')];
    sandbox = await startSandboxProcess(`${settings.join(" ")} ${start}`, sandboxEnv);
    const productCodes = async () =>
      json<{ items: { name: string; productCode?: string }[] }>(await sh(againstSandbox("aws apigateway get-usage-plans")))
        .items.map((p) => `${p.name}:${p.productCode ?? ""}`)
        .sort();
    expect(await productCodes()).toEqual(["Free:", "Pro:portico-pro-sandbox", "Weather Basic:portico-weather-readme"]);
    expect(readEndpoints().marketplace.topicArns).toEqual(
      expect.arrayContaining([expect.stringMatching(/:aws-mp-subscription-notification-portico-weather-readme$/)]),
    );
    expect(json(await sh(`curl -s localhost:${ports.sandbox}/_sandbox/scheduler`))).toMatchObject({ timers: false });
    expect(json(await sh(`curl -s localhost:${ports.sandbox}/_sandbox/apigateway/budget`))).toMatchObject({ enabled: false });
    expect(json(await sh(`curl -s localhost:${ports.sandbox}/_sandbox/faults`))).toMatchObject({ "execute-api": { errorNext: 1 } });
    await sandbox.stop();

    // Reset, then start: a fresh seed.
    expect(await sh(readme(/^npm run sandbox:reset$/), sandboxEnv)).toMatch(/Removed \S+/);
    expect(existsSync(stateDir)).toBe(false);
    sandbox = await startSandboxProcess(start, sandboxEnv);
    expect(await productCodes()).toEqual(["Free:", "Pro:portico-pro-sandbox", "Weather Basic:"]);
    expect(readEndpoints().marketplace.topicArns.join()).not.toContain("portico-weather-readme");
    expect(json(await sh(`curl -s localhost:${ports.sandbox}/_sandbox/marketplace/customers`))).toEqual({ customers: [] });
  }, 90_000);
});

describe("README commands that start their own sandbox", () => {
  it("the `MODEL_RUNS=… MODEL_STEPS=… npx vitest run tests/access/model.test.ts` line, with tiny numbers", async () => {
    const command = readme(/^MODEL_RUNS=\d+ MODEL_STEPS=\d+ npx vitest run tests\/access\//)
      .replace(/MODEL_RUNS=\d+/, "MODEL_RUNS=1")
      .replace(/MODEL_STEPS=\d+/, "MODEL_STEPS=3");
    const stdout = await sh(command, newcomer(), 90_000);
    expect(stdout).toMatch(/\[model\] 1 sequences, \d+ steps, invariants checked after each/);
  }, 100_000);

  it("the `MODEL_RUNS=… MODEL_STEPS=… npx vitest run tests/notifications/model.test.ts` line, with tiny numbers", async () => {
    const command = readme(/^MODEL_RUNS=\d+ MODEL_STEPS=\d+ npx vitest run tests\/notifications\//)
      .replace(/MODEL_RUNS=\d+/, "MODEL_RUNS=1")
      .replace(/MODEL_STEPS=\d+/, "MODEL_STEPS=3");
    const stdout = await sh(command, newcomer(), 90_000);
    expect(stdout).toMatch(/\[model\] 1 sequences, \d+ steps, invariants checked after each/);
  }, 100_000);
});

describe("README commands that start their own sandbox, teams", () => {
  it("the `MODEL_RUNS=… MODEL_STEPS=… npx vitest run tests/teams/model.test.ts` line, with tiny numbers", async () => {
    const command = readme(/^MODEL_RUNS=\d+ MODEL_STEPS=\d+ npx vitest run tests\/teams\//)
      .replace(/MODEL_RUNS=\d+/, "MODEL_RUNS=1")
      .replace(/MODEL_STEPS=\d+/, "MODEL_STEPS=3");
    const stdout = await sh(command, newcomer(), 90_000);
    expect(stdout).toMatch(/\[model\] 1 sequences, \d+ steps, invariants checked after each/);
  }, 100_000);
});

describe("README commands: the classification is true", () => {
  it("every command classified RUN was run by a test above", () => {
    const runs = Object.entries(COMMANDS)
      .filter(([, c]) => "RUN" in c)
      .map(([command]) => command);
    expect(
      runs.filter((command) => !ran.has(command)),
      "RUN in COMMANDS but run by no test",
    ).toEqual([]);
  });
});
