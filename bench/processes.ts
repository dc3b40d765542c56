import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { gunzipSync } from "node:zlib";

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last 20 KB of its stdout and stderr, for error messages. */
  output(): string;
  exited: Promise<number | null>;
  /** Sends SIGTERM to its process group now, without waiting. */
  terminate(): void;
  stop(): Promise<void>;
}

/**
 * A Node.js child in its own process group (so stop() also ends whatever it spawned, e.g. Next's
 * build workers). Output is kept, not printed; it is shown when something fails.
 */
export function startChild(name: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  return {
    name,
    process: child,
    output: () => log,
    exited,
    terminate: () => signal("SIGTERM"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        signal("SIGKILL"); // leftovers of the group, if any
        return;
      }
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
      signal("SIGKILL");
    },
  };
}

/**
 * Runs a child to completion within `timeoutMs`; a non-zero exit or the timeout throws with its
 * output. `onStart` gets the child at once, e.g. to stop it if the benchmark is interrupted.
 */
export async function runChild(
  name: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; onStart?: (child: Child) => void },
): Promise<Child> {
  const child = startChild(name, args, options);
  options.onStart?.(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop();
  }, options.timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  if (timedOut || code !== 0) {
    throw new Error(`${name} ${timedOut ? `did not finish within ${options.timeoutMs / 1000} s` : `exited with ${code}`}:\n${tail(child.output())}`);
  }
  return child;
}

export function tail(text: string, lines = 40): string {
  return text
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join("\n");
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent (compressed if the server compressed it). */
  encoded: Buffer;
  /** The body after undoing gzip. */
  body: Buffer;
}

/** A GET on loopback that reports the body as transferred, optionally asking for gzip. */
export function httpGet(url: string, options: { gzip?: boolean; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: options.gzip ? { "accept-encoding": "gzip" } : {}, timeout: options.timeoutMs ?? 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const encoded = Buffer.concat(chunks);
        try {
          const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(encoded) : encoded;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, encoded, body });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/** Polls `url` until it answers below 500, or throws after `timeoutMs` (or if `child` exits first). */
export async function waitForHttp(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child?.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${child!.name} exited before answering ${url}:\n${tail(child!.output())}`);
    try {
      const res = await httpGet(url, { timeoutMs: 5_000 });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s${child ? `:\n${tail(child.output())}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves once `child` has printed `text`; throws with its last output if it exits or `timeoutMs` pass first. */
export async function waitForOutput(child: Child, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!child.output().includes(text)) {
    if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(`${child.name} never printed "${text}":\n${tail(child.output())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
